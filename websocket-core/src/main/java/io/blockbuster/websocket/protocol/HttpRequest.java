package io.blockbuster.websocket.protocol;

import java.util.List;
import java.util.Map;

/**
 * A parsed HTTP/1.1 request head.
 *
 * @param method the method, e.g. GET
 * @param target the request target as sent, e.g. {@code /chat?room=1}
 * @param version the version, e.g. HTTP/1.1
 * @param headers the header fields
 */
public record HttpRequest(String method, String target, String version, HttpHeaders headers) {
    /** Returns the target's path, without the query. */
    public String path() {
        throw new UnsupportedOperationException();
    }

    /** Returns the raw query (after '?'), or null if none. */
    public String query() {
        throw new UnsupportedOperationException();
    }

    /** Returns the query parameters, percent-decoded, in order. */
    public Map<String, List<String>> queryParameters() {
        throw new UnsupportedOperationException();
    }
}
