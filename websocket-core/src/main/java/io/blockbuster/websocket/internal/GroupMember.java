package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;

import java.util.concurrent.Executor;

/**
 * What a {@link io.blockbuster.websocket.WebSocketGroup} needs of a connection beyond the public
 * {@link WebSocket}: its event loop, holding back the flush while a gather sends to it, and a
 * one-shot call when it is writable again. Not part of the host API (the package is not exported).
 *
 * <p>Threading: {@link #of} and {@link #loop()} any thread; the rest on the connection's loop thread.
 */
public final class GroupMember {
    private final ConnectionHandle handle;

    private GroupMember(ConnectionHandle handle) {
        this.handle = handle;
    }

    /**
     * The member for a connection of this library's server or client.
     *
     * @throws IllegalArgumentException for a {@link WebSocket} implemented elsewhere
     */
    public static GroupMember of(WebSocket webSocket) {
        if (!(webSocket instanceof ConnectionHandle h)) {
            throw new IllegalArgumentException("not a connection of this library: " + webSocket);
        }
        return new GroupMember(h);
    }

    /** The connection this member stands for. */
    public WebSocket webSocket() {
        return handle;
    }

    /** The event loop that runs the connection's I/O; the same object for all its connections. */
    public Executor loop() {
        return handle.loop();
    }

    /** Sends made from now on are written by {@link #release()}, not by a flush task each. */
    public void hold() {
        handle.io().hold();
    }

    /** Writes what was sent since {@link #hold()}. */
    public void release() {
        handle.io().release();
    }

    /** Queues {@code message}; nobody waits for it, so no future is returned. */
    public void send(PreparedMessage message) {
        handle.sendUnwatched(message);
    }

    /** Runs {@code task} on the loop once the connection is writable again; never if it closes first. */
    public void whenWritable(Runnable task) {
        handle.whenWritable(task);
    }
}
