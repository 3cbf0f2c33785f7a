package io.blockbuster.websocket.protocol;

import java.util.List;

/**
 * A valid WebSocket upgrade request (RFC 6455 section 4.2.1), for the host to accept or refuse.
 *
 * @param request the whole HTTP request (path, query, headers)
 * @param key the Sec-WebSocket-Key value
 * @param subprotocols the offered subprotocols, in the client's preference order
 * @param extensionOffers the offered extensions, in order
 */
public record UpgradeRequest(HttpRequest request, String key, List<String> subprotocols,
                             List<ExtensionOffer> extensionOffers) {
    /** Returns the request path, without the query. */
    public String path() {
        return request.path();
    }

    /** Returns the Origin header, or null if absent. */
    public String origin() {
        return request.headers().first("Origin");
    }
}
