package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;

import java.util.concurrent.Executor;

/**
 * What a {@link io.blockbuster.websocket.WebSocketGroup} needs of a connection beyond the public
 * {@link WebSocket}: its event loop, holding back the flush while a gather sends to it, and a
 * one-shot call when it is writable again. Not part of the host API (the package is not exported).
 *
 * <p>The group's own member record extends this class rather than holding one: one object and one
 * pointer hop fewer per member, which a broadcast to thousands of members walks every message.
 *
 * <p>Threading: {@link #of}, the constructor and {@link #loop()} any thread; the rest on the
 * connection's loop thread.
 */
public class GroupMember {
    private final ConnectionHandle handle;

    /**
     * The member for a connection of this library's server or client.
     *
     * @throws IllegalArgumentException for a {@link WebSocket} implemented elsewhere
     */
    protected GroupMember(WebSocket webSocket) {
        if (!(webSocket instanceof ConnectionHandle h)) {
            throw new IllegalArgumentException("not a connection of this library: " + webSocket);
        }
        this.handle = h;
    }

    /**
     * The member for a connection of this library's server or client.
     *
     * @throws IllegalArgumentException for a {@link WebSocket} implemented elsewhere
     */
    public static GroupMember of(WebSocket webSocket) {
        return new GroupMember(webSocket);
    }

    /** The connection this member stands for. */
    public final WebSocket webSocket() {
        return handle;
    }

    /** The event loop that runs the connection's I/O; the same object for all its connections. */
    public final Executor loop() {
        return handle.loop();
    }

    /** Sends made from now on are written by {@link #release()}, not by a flush task each. */
    public final void hold() {
        handle.io().hold();
    }

    /** Writes what was sent since {@link #hold()}. */
    public final void release() {
        handle.io().release();
    }

    /** Queues {@code message}; nobody waits for it, so no future is returned. */
    public final void send(PreparedMessage message) {
        handle.sendUnwatched(message);
    }

    /** Runs {@code task} on the loop once the connection is writable again; never if it closes first. */
    public final void whenWritable(Runnable task) {
        handle.whenWritable(task);
    }
}
