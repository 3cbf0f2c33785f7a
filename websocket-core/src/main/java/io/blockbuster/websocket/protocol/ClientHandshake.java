package io.blockbuster.websocket.protocol;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The client side of the opening handshake (RFC 6455 section 4.1): renders the upgrade request
 * with a random 16-byte key and validates the server's response. One instance per connection
 * attempt; not thread safe.
 */
public final class ClientHandshake {
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "upgrade", "connection",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions");

    private final String key;
    private final List<String> subprotocols;
    private final List<ExtensionFactory> extensions;
    private final ByteBuffer request;

    /**
     * Prepares a handshake and renders the request.
     *
     * @param uri a {@code ws}, {@code wss}, {@code http} or {@code https} URI; the Host header
     *     carries the port only when it is not the scheme's default
     * @param extraHeaders additional request headers (Origin, Authorization, cookies), or null;
     *     the handshake's own headers may not be overridden
     * @param subprotocols subprotocols to offer, in preference order, or null
     * @param extensions extension factories whose offers go in the request, or null
     * @param random the key source; a {@link java.security.SecureRandom} in production
     * @throws IllegalArgumentException on a bad URI, subprotocol or header
     */
    public ClientHandshake(URI uri, Map<String, List<String>> extraHeaders, List<String> subprotocols,
                           List<ExtensionFactory> extensions, Random random) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("wss") || scheme.equals("https");
        if (!secure && !scheme.equals("ws") && !scheme.equals("http")) {
            throw new IllegalArgumentException("not a WebSocket URI: " + uri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("URI has no host: " + uri);
        }
        this.subprotocols = subprotocols == null ? List.of() : List.copyOf(subprotocols);
        this.extensions = extensions == null ? List.of() : List.copyOf(extensions);
        for (String p : this.subprotocols) {
            if (!HttpHeadReader.isToken(p)) {
                throw new IllegalArgumentException("subprotocol is not a token: " + p);
            }
        }
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);

        // Non-ASCII characters in the URI are percent-encoded as UTF-8 (a request target is ASCII).
        URI ascii = URI.create(uri.toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        if (ascii.getRawQuery() != null) {
            path += "?" + ascii.getRawQuery();
        }
        int port = uri.getPort();
        String host = uri.getHost();
        if (port != -1 && port != (secure ? 443 : 80)) {
            host += ":" + port;
        }
        StringBuilder sb = new StringBuilder(256);
        sb.append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (!this.subprotocols.isEmpty()) {
            sb.append("Sec-WebSocket-Protocol: ").append(String.join(", ", this.subprotocols)).append("\r\n");
        }
        List<String> offers = new ArrayList<>();
        for (ExtensionFactory factory : this.extensions) {
            for (ExtensionOffer offer : factory.offers()) {
                offers.add(offer.toHeaderValue());
            }
        }
        if (!offers.isEmpty()) {
            sb.append("Sec-WebSocket-Extensions: ").append(String.join(", ", offers)).append("\r\n");
        }
        if (extraHeaders != null) {
            HttpHeaders.Builder extra = HttpHeaders.builder();
            extraHeaders.forEach((name, values) -> {
                if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("header " + name + " is set by the handshake");
                }
                values.forEach(v -> extra.add(name, v));
            });
            ServerHandshake.appendHeaders(sb, extra.build());
        }
        sb.append("\r\n");
        this.request = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    /** Returns the Sec-WebSocket-Key sent (base64 of 16 random bytes). */
    public String key() {
        return key;
    }

    /** Returns the request bytes, ready to write: a new read-only view on each call. */
    public ByteBuffer request() {
        return request.duplicate();
    }

    /**
     * Validates the server's response: status 101, {@code Upgrade: websocket},
     * {@code Connection: Upgrade}, exactly the expected {@code Sec-WebSocket-Accept}, at most one
     * subprotocol and only one that was offered, and only extensions that were offered (each
     * accepted by its factory, without RSV collisions).
     *
     * @param response the parsed response
     * @return the negotiated subprotocol and extensions
     * @throws HandshakeException with the response's status on any mismatch; extensions created
     *     before the failure are closed
     */
    public Result validate(HttpResponse response) {
        int status = response.status();
        HttpHeaders h = response.headers();
        if (status != 101) {
            throw new HandshakeException(status, "expected 101 Switching Protocols, got " + status);
        }
        if (h.all("Upgrade").size() != 1 || !h.first("Upgrade").equalsIgnoreCase("websocket")) {
            throw new HandshakeException(status, "response lacks Upgrade: websocket");
        }
        if (!h.hasToken("Connection", "Upgrade")) {
            throw new HandshakeException(status, "response lacks Connection: Upgrade");
        }
        List<String> accepts = h.all("Sec-WebSocket-Accept");
        if (accepts.size() != 1 || !accepts.get(0).equals(ServerHandshake.acceptKey(key))) {
            throw new HandshakeException(status, "wrong Sec-WebSocket-Accept");
        }
        String subprotocol = null;
        List<String> protocols = h.all("Sec-WebSocket-Protocol");
        if (!protocols.isEmpty()) {
            if (protocols.size() != 1 || !subprotocols.contains(protocols.get(0))) {
                throw new HandshakeException(status, "server chose a subprotocol that was not offered");
            }
            subprotocol = protocols.get(0);
        }
        List<ExtensionOffer> answers;
        try {
            answers = ExtensionOffer.parse(h.all("Sec-WebSocket-Extensions"));
        } catch (HandshakeException e) {
            throw new HandshakeException(status, e.getMessage());
        }
        List<Extension> accepted = new ArrayList<>();
        try {
            Set<String> seen = new HashSet<>();
            int claimed = 0;
            for (ExtensionOffer answer : answers) {
                ExtensionFactory factory = factoryFor(answer.name());
                if (factory == null || !seen.add(answer.name().toLowerCase(Locale.ROOT))) {
                    throw new HandshakeException(status, "server answered extension " + answer.name()
                            + " that was not offered");
                }
                Extension extension;
                try {
                    extension = factory.acceptResponse(answer);
                } catch (HandshakeException e) {
                    throw new HandshakeException(status, e.getMessage());
                }
                if (extension == null) {
                    throw new HandshakeException(status, "extension " + answer.name() + " refused the response");
                }
                accepted.add(extension);
                if ((extension.rsvBits() & claimed) != 0) {
                    throw new HandshakeException(status, "extensions claim the same RSV bits");
                }
                claimed |= extension.rsvBits();
            }
        } catch (RuntimeException e) {
            accepted.forEach(Extension::close);
            throw e;
        }
        return new Result(subprotocol, List.copyOf(accepted));
    }

    private ExtensionFactory factoryFor(String name) {
        for (ExtensionFactory f : extensions) {
            if (f.name().equalsIgnoreCase(name) && !f.offers().isEmpty()) {
                return f;
            }
        }
        return null;
    }

    /**
     * The outcome of a successful handshake.
     *
     * @param subprotocol the chosen subprotocol, or null
     * @param extensions the negotiated extensions, in the server's order
     */
    public record Result(String subprotocol, List<Extension> extensions) {
    }
}
