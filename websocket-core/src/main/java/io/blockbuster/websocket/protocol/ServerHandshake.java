package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The server side of the opening handshake (RFC 6455 section 4.2): validates a parsed request,
 * computes the accept key, negotiates extensions and renders the 101 response or a rejection as
 * bytes. The host decides in between, from the {@link UpgradeRequest} (path, query, origin,
 * headers, offered subprotocols), whether to accept, which subprotocol to pick, or to refuse
 * with 403/404. Stateless and thread safe.
 */
public final class ServerHandshake {
    /** RFC 6455 1.3: appended to the key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String VERSION = "13";

    private ServerHandshake() {
    }

    /**
     * Applies the RFC 6455 4.2.1 checks: GET, HTTP/1.1 or later, one Host header,
     * {@code Upgrade: websocket} (case-insensitive), a {@code Connection} token list containing
     * {@code Upgrade}, a {@code Sec-WebSocket-Key} that is base64 of 16 bytes, and
     * {@code Sec-WebSocket-Version: 13}; then parses the offered subprotocols and extensions.
     *
     * @param request the parsed request
     * @return the upgrade request for the host to decide on
     * @throws HandshakeException 426 when it is not a WebSocket upgrade (a plain GET) or asks for
     *     another version; 400 for anything else malformed
     */
    public static UpgradeRequest validate(HttpRequest request) {
        HttpHeaders h = request.headers();
        if (!request.method().equals("GET")) {
            throw new HandshakeException(400, "WebSocket upgrade requires GET");
        }
        if (HttpHeadReader.version(request.version()) < 11) {
            throw new HandshakeException(400, "WebSocket upgrade requires HTTP/1.1 or later");
        }
        if (!h.hasToken("Upgrade", "websocket")) {
            throw new HandshakeException(426, "this endpoint requires a WebSocket upgrade");
        }
        if (!h.hasToken("Connection", "Upgrade")) {
            throw new HandshakeException(400, "Connection header must contain Upgrade");
        }
        if (h.all("Host").size() != 1 || h.first("Host").isEmpty()) {
            throw new HandshakeException(400, "exactly one Host header required");
        }
        List<String> versions = h.all("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.get(0).equals(VERSION)) {
            throw new HandshakeException(426, "unsupported WebSocket version; this server speaks 13");
        }
        List<String> keys = h.all("Sec-WebSocket-Key");
        if (keys.size() != 1 || !isValidKey(keys.get(0))) {
            throw new HandshakeException(400, "Sec-WebSocket-Key must be base64 of 16 bytes");
        }
        List<String> subprotocols = new ArrayList<>();
        for (String value : h.all("Sec-WebSocket-Protocol")) {
            for (String part : value.split(",", -1)) {
                String p = HttpHeadReader.trimOws(part);
                if (p.isEmpty()) {
                    continue;
                }
                if (!HttpHeadReader.isToken(p)) {
                    throw new HandshakeException(400, "malformed Sec-WebSocket-Protocol");
                }
                subprotocols.add(p);
            }
        }
        List<ExtensionOffer> offers = ExtensionOffer.parseOffers(h.all("Sec-WebSocket-Extensions"));
        return new UpgradeRequest(request, keys.get(0), List.copyOf(subprotocols), offers);
    }

    private static boolean isValidKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Computes {@code Sec-WebSocket-Accept}: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
     *
     * @param key the Sec-WebSocket-Key value, as sent
     * @return the accept value
     */
    public static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /**
     * Renders the 101 Switching Protocols response.
     *
     * @param request the validated request
     * @param subprotocol the chosen subprotocol, one the client offered, or null for none
     * @param extensions the negotiated extensions (their {@link Extension#response()} goes into
     *     {@code Sec-WebSocket-Extensions}), or null/empty
     * @return new response bytes, ready to write
     * @throws IllegalArgumentException if the subprotocol was not offered
     */
    public static ByteBuffer accept(UpgradeRequest request, String subprotocol, List<Extension> extensions) {
        return accept(request, subprotocol, extensions, null);
    }

    /**
     * Renders the 101 response with additional header fields (cookies, for example).
     *
     * @param request the validated request
     * @param subprotocol the chosen subprotocol, one the client offered, or null for none
     * @param extensions the negotiated extensions, or null/empty
     * @param extraHeaders more header fields, or null; names and values may not contain CR or LF
     * @return new response bytes, ready to write
     * @throws IllegalArgumentException if the subprotocol was not offered or a header is unsafe
     */
    public static ByteBuffer accept(UpgradeRequest request, String subprotocol, List<Extension> extensions,
                                    HttpHeaders extraHeaders) {
        if (subprotocol != null && !request.subprotocols().contains(subprotocol)) {
            throw new IllegalArgumentException("subprotocol " + subprotocol + " was not offered");
        }
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ").append(acceptKey(request.key())).append("\r\n");
        if (subprotocol != null) {
            sb.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
        }
        if (extensions != null && !extensions.isEmpty()) {
            sb.append("Sec-WebSocket-Extensions: ");
            for (int i = 0; i < extensions.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(extensions.get(i).response().toHeaderValue());
            }
            sb.append("\r\n");
        }
        appendHeaders(sb, extraHeaders);
        sb.append("\r\n");
        return ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Renders a rejection: status line, {@code Content-Type: text/plain; charset=utf-8},
     * {@code Content-Length}, {@code Connection: close} and the body. A 426 also carries
     * {@code Upgrade: websocket} and {@code Sec-WebSocket-Version: 13} (RFC 6455 4.4).
     *
     * @param status an HTTP status, 100-999 (typically 400, 403, 404, 426, 431)
     * @param body a short text body, or null; sent as UTF-8
     * @return new response bytes
     */
    public static ByteBuffer reject(int status, String body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status);
        }
        byte[] content = (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
        String upgrade = status == 426 ? "Upgrade: websocket\r\nSec-WebSocket-Version: " + VERSION + "\r\n" : "";
        return render(status, upgrade, "text/plain; charset=utf-8", content);
    }

    /**
     * Renders a plain HTTP response that ends the connection (a host answering a request that is
     * not an upgrade): status line, {@code Content-Type}, {@code Content-Length},
     * {@code Connection: close} and the body.
     *
     * @param status an HTTP status, 100-999
     * @param contentType the body's media type; no CR or LF
     * @param body the body, sent as is
     * @return new response bytes
     */
    public static ByteBuffer closingResponse(int status, String contentType, byte[] body) {
        if (contentType.indexOf('\r') >= 0 || contentType.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("CR or LF in content type");
        }
        return render(status, "", contentType, body);
    }

    private static ByteBuffer render(int status, String extraHeaders, String contentType, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status);
        }
        String head = "HTTP/1.1 " + status + " " + reasonPhrase(status) + "\r\n" + extraHeaders
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip();
    }

    /**
     * Negotiates extensions: for each factory in server preference order, the client's offers
     * with its name are tried in the client's order and the first one it accepts wins. An
     * extension whose RSV bits collide with one already chosen is closed and skipped.
     *
     * @param offers the client's offers
     * @param factories the server's factories in preference order
     * @return the negotiated extensions, in negotiation order
     */
    public static List<Extension> negotiate(List<ExtensionOffer> offers, List<ExtensionFactory> factories) {
        List<Extension> chosen = new ArrayList<>();
        int claimed = 0;
        for (ExtensionFactory factory : factories) {
            for (ExtensionOffer offer : offers) {
                if (!offer.name().equalsIgnoreCase(factory.name())) {
                    continue;
                }
                Extension extension = factory.acceptOffer(offer);
                if (extension == null) {
                    continue;
                }
                if ((extension.rsvBits() & claimed) != 0) {
                    extension.close();
                    continue;
                }
                claimed |= extension.rsvBits();
                chosen.add(extension);
                break;
            }
        }
        return List.copyOf(chosen);
    }

    static void appendHeaders(StringBuilder sb, HttpHeaders headers) {
        if (headers == null) {
            return;
        }
        for (String name : headers.names()) {
            if (!HttpHeadReader.isToken(name)) {
                throw new IllegalArgumentException("invalid header name: " + name);
            }
            for (String value : headers.all(name)) {
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("CR or LF in header " + name);
                }
                sb.append(name).append(": ").append(value).append("\r\n");
            }
        }
    }

    private static String reasonPhrase(int status) {
        switch (status) {
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 304: return "Not Modified";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 426: return "Upgrade Required";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            default: return status < 400 ? "OK" : status < 500 ? "Client Error" : "Server Error";
        }
    }
}
