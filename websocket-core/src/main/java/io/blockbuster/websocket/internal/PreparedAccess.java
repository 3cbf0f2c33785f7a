package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.protocol.Opcode;

import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * Lets the transport reach the encoded frames a {@link PreparedMessage} keeps without making them
 * public API. The host package installs the one instance when {@code WebSocketServer} or
 * {@code WebSocketClient} loads, so before any connection (the only reader) exists; the message
 * itself names nothing of the transport, so the two do not import each other.
 */
public abstract class PreparedAccess {
    private static volatile PreparedAccess instance;

    /** Called once, by the host package. */
    public static synchronized void install(PreparedAccess access) {
        if (instance != null) {
            throw new IllegalStateException("already installed");
        }
        instance = access;
    }

    static PreparedAccess get() {
        return instance;
    }

    /** {@link Opcode#TEXT} or {@link Opcode#BINARY}: the host needs only {@link PreparedMessage#isText()}. */
    public abstract Opcode opcode(PreparedMessage message);

    /**
     * The shared unmasked server frame itself (encoded on first use), read-only: shared by every
     * connection, so a writer that moves through it takes a duplicate.
     */
    public abstract ByteBuffer frame(PreparedMessage message);

    /**
     * A duplicate of a frame transformed for one extension configuration, encoded on first use by
     * {@code encoder} and cached in the message under {@code key}.
     */
    public abstract ByteBuffer variant(PreparedMessage message, Object key, Function<PreparedMessage, ByteBuffer> encoder);
}
