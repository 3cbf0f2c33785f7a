package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.protocol.MessageSink;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * The host's {@link WebSocketListener} as the connection calls it: a callback that throws fails the
 * connection with 1011 ({@code onError} and {@code onClose} only log, there is nothing left to fail).
 * Buffers passed on are read-only views, valid only during the call. It is the sink of the
 * connection's {@link io.blockbuster.websocket.protocol.ProtocolSession}.
 *
 * <p>Threading: loop thread only, so callbacks of one connection never overlap; never called with
 * the send lock held.
 */
final class ListenerCalls implements MessageSink {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");

    private final LoopConnection connection;
    /** Both null until the opening handshake picks the listener. */
    private WebSocketListener listener;
    private WebSocket socket;

    ListenerCalls(LoopConnection connection) {
        this.connection = connection;
    }

    /** The listener the handshake picked, and the {@link WebSocket} it is given in every call. */
    void set(WebSocketListener listener, WebSocket socket) {
        this.listener = listener;
        this.socket = socket;
    }

    void open() {
        try {
            listener.onOpen(socket);
        } catch (Throwable t) {
            connection.listenerFailed(t);
        }
    }

    @Override
    public void onText(String text) {
        try {
            listener.onText(socket, text);
        } catch (Throwable t) {
            connection.listenerFailed(t);
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        try {
            listener.onBinary(socket, data.asReadOnlyBuffer());
        } catch (Throwable t) {
            connection.listenerFailed(t);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        try {
            listener.onPing(socket, payload.asReadOnlyBuffer());
        } catch (Throwable t) {
            connection.listenerFailed(t);
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        try {
            listener.onPong(socket, payload.asReadOnlyBuffer());
        } catch (Throwable t) {
            connection.listenerFailed(t);
        }
    }

    /** The peer's close frame: the listener hears of the close at the end, in {@link #closed}. */
    @Override
    public void onClose(int code, String reason) {
    }

    void writabilityChanged(boolean writable) {
        try {
            listener.onWritabilityChanged(socket, writable);
        } catch (Throwable t) {
            connection.listenerFailed(t);
        }
    }

    /** Tells the listener of a failure, if the connection got as far as having one. */
    void error(Throwable t) {
        if (listener == null) {
            return;
        }
        try {
            listener.onError(socket, t);
        } catch (Throwable again) {
            LOG.log(Level.WARNING, "WebSocket listener onError failed", again);
        }
    }

    void closed(CloseStatus status, boolean byPeer) {
        try {
            listener.onClose(socket, status, byPeer);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "WebSocket listener onClose failed", t);
        }
    }
}
