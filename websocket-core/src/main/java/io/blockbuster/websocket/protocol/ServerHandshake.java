package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.util.List;

/** The server side of the opening handshake (RFC 6455 section 4.2). Stateless and thread safe. */
public final class ServerHandshake {
    private ServerHandshake() {
    }

    /**
     * Applies the RFC 6455 4.2.1 checks.
     *
     * @param request the parsed request
     * @return the upgrade request
     * @throws HandshakeException 400 malformed, 426 not an upgrade or wrong version
     */
    public static UpgradeRequest validate(HttpRequest request) {
        throw new UnsupportedOperationException();
    }

    /**
     * Computes Sec-WebSocket-Accept for a key.
     *
     * @param key the Sec-WebSocket-Key value
     * @return base64(SHA-1(key + GUID))
     */
    public static String acceptKey(String key) {
        throw new UnsupportedOperationException();
    }

    /**
     * Renders the 101 response.
     *
     * @param request the validated request
     * @param subprotocol the chosen subprotocol, or null
     * @param extensions the negotiated extensions, possibly empty or null
     * @return the response bytes, ready to write
     */
    public static ByteBuffer accept(UpgradeRequest request, String subprotocol, List<Extension> extensions) {
        throw new UnsupportedOperationException();
    }

    /**
     * Renders a rejection response with a short text body and {@code Connection: close}.
     *
     * @param status the HTTP status
     * @param body the text body
     * @return the response bytes
     */
    public static ByteBuffer reject(int status, String body) {
        throw new UnsupportedOperationException();
    }

    /**
     * Negotiates extensions: for each factory in server preference order, the first offer it
     * accepts wins.
     *
     * @param offers the client's offers
     * @param factories the server's factories in preference order
     * @return the negotiated extensions
     */
    public static List<Extension> negotiate(List<ExtensionOffer> offers, List<ExtensionFactory> factories) {
        throw new UnsupportedOperationException();
    }
}
