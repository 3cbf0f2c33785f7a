package io.blockbuster.websocket;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a {@link WebSocketServer}'s counters since it started.
 *
 * @param connections connections open or handshaking now
 * @param connectionsOpened connections that finished the opening handshake
 * @param slowPeersClosed connections closed because the peer read too slowly (its outbound
 *     backlog passed {@link WebSocketLimits#maxBufferedBytes()})
 * @param handshakesRejected requests answered with an HTTP error instead of {@code 101}, by
 *     status, in status order, only statuses that occurred: a malformed or non-WebSocket request
 *     ({@code 400}, {@code 426}), no handler for the path ({@code 404}), an origin not allowed
 *     ({@code 403}), a head too large ({@code 431}), the connection or per-address limits
 *     ({@code 503}, {@code 429}), a handler's own rejection or failure. A handshake that times out
 *     gets no answer and is not counted; nor is a plain request the {@link HttpHandler} answered.
 */
public record ServerStats(int connections, long connectionsOpened, long slowPeersClosed,
                          Map<Integer, Long> handshakesRejected) {

    /** Copies {@code handshakesRejected}, keeping it in status order. */
    public ServerStats {
        handshakesRejected = Collections.unmodifiableMap(new TreeMap<>(handshakesRejected));
    }
}
