package io.blockbuster.websocket.protocol;

import java.util.List;
import java.util.Map;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 section 9.1): a name and its
 * parameters, in order. A parameter value of null means the parameter had no value.
 *
 * @param name the extension token
 * @param parameters parameter names to values (null for a bare parameter), in order
 */
public record ExtensionOffer(String name, Map<String, String> parameters) {
    /**
     * Parses every value of the {@code Sec-WebSocket-Extensions} headers, in order.
     *
     * @param headerValues the header values (several headers allowed)
     * @return the offers in order
     * @throws HandshakeException 400 on a syntax error
     */
    public static List<ExtensionOffer> parse(List<String> headerValues) {
        throw new UnsupportedOperationException();
    }

    /** Renders this offer as a header element, e.g. {@code permessage-deflate; client_max_window_bits}. */
    public String toHeaderValue() {
        throw new UnsupportedOperationException();
    }
}
