package io.blockbuster.websocket;

import java.nio.ByteBuffer;

/**
 * Receives the events of one or more connections. Every method has an empty default, so a host
 * implements only what it needs.
 *
 * <p><b>Threading.</b> The callbacks of one connection never run concurrently and arrive in the
 * order the events happened: {@code onOpen (onText | onBinary | onPing | onPong |
 * onWritabilityChanged | onError)* onClose}. They run on the connection's event-loop thread, which
 * also serves many other connections, so a callback must not block; hand long work to an executor
 * of your own. Sending from a callback is fine (sends never block).
 *
 * <p><b>Buffers</b> passed to callbacks are valid only during the call: copy what you keep.
 *
 * <p><b>Failures.</b> A callback that throws closes its connection with {@code 1011}; the
 * exception is logged and passed to {@link #onError}.
 */
public interface WebSocketListener {

    /** The handshake completed; the connection can send and will receive. */
    default void onOpen(WebSocket webSocket) {
    }

    /** A whole text message arrived (fragments reassembled, UTF-8 validated). */
    default void onText(WebSocket webSocket, String text) {
    }

    /** A whole binary message arrived. {@code data} is read-only and valid only during the call. */
    default void onBinary(WebSocket webSocket, ByteBuffer data) {
    }

    /** A ping arrived. A pong with the same payload has already been queued automatically. */
    default void onPing(WebSocket webSocket, ByteBuffer payload) {
    }

    /** A pong arrived (solicited or not). */
    default void onPong(WebSocket webSocket, ByteBuffer payload) {
    }

    /**
     * The connection is closed: the close handshake finished, or the connection was dropped. Called
     * exactly once per opened connection, last. After it, sends fail.
     *
     * @param status       the peer's close code and reason when it started the close, ours when we
     *                     did; {@code 1006} when there was no close handshake
     * @param closedByPeer true when the peer started the close handshake (or dropped the connection)
     */
    default void onClose(WebSocket webSocket, CloseStatus status, boolean closedByPeer) {
    }

    /**
     * Something went wrong on this connection: a protocol error by the peer, an I/O error, a
     * listener that threw. Informational: the connection is being closed and {@link #onClose}
     * follows.
     */
    default void onError(WebSocket webSocket, Throwable error) {
    }

    /**
     * The outbound buffer crossed a watermark: {@code false} when it rose above the high watermark
     * (stop producing), {@code true} when it drained below the low watermark (resume). Calls
     * alternate, starting with {@code false}; every time {@link WebSocket#isWritable()} turned false
     * is reported, even if the buffer drained before the callback could run.
     */
    default void onWritabilityChanged(WebSocket webSocket, boolean writable) {
    }
}
