package io.blockbuster.websocket;

/**
 * A snapshot of a {@link WebSocketServer}'s counters since it started.
 *
 * @param connections connections open or handshaking now
 * @param connectionsOpened connections that finished the opening handshake
 * @param slowPeersClosed connections closed because the peer read too slowly (its outbound
 *     backlog passed {@link WebSocketLimits#maxBufferedBytes()})
 */
public record ServerStats(int connections, long connectionsOpened, long slowPeersClosed) {
}
