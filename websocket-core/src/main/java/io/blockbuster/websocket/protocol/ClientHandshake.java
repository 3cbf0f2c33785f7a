package io.blockbuster.websocket.protocol;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The client side of the opening handshake (RFC 6455 section 4.1). Not thread safe. */
public final class ClientHandshake {
    /**
     * Prepares a handshake.
     *
     * @param uri a ws or wss URI
     * @param extraHeaders additional request headers
     * @param subprotocols subprotocols to offer, in preference order
     * @param extensions extension factories whose offers go in the request
     * @param random the key source; a {@link java.security.SecureRandom} in production
     */
    public ClientHandshake(URI uri, Map<String, List<String>> extraHeaders, List<String> subprotocols,
                           List<ExtensionFactory> extensions, Random random) {
    }

    /** Returns the Sec-WebSocket-Key sent. */
    public String key() {
        throw new UnsupportedOperationException();
    }

    /** Returns the request bytes, ready to write. */
    public ByteBuffer request() {
        throw new UnsupportedOperationException();
    }

    /**
     * Validates the server's response.
     *
     * @param response the parsed response
     * @return the negotiated subprotocol and extensions
     * @throws HandshakeException on any mismatch
     */
    public Result validate(HttpResponse response) {
        throw new UnsupportedOperationException();
    }

    /**
     * The outcome of a successful handshake.
     *
     * @param subprotocol the chosen subprotocol, or null
     * @param extensions the negotiated extensions
     */
    public record Result(String subprotocol, List<Extension> extensions) {
    }
}
