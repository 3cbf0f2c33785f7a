package io.blockbuster.websocket;

import io.blockbuster.websocket.internal.PreparedAccess;
import io.blockbuster.websocket.protocol.Opcode;

import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * Hands the transport what a {@link PreparedMessage} keeps for it. Installed once, when this class
 * loads, which {@link WebSocketServer} and {@link WebSocketClient} cause as they load: every
 * connection, the only reader, belongs to one of them.
 */
final class PreparedMessageAccess extends PreparedAccess {
    static {
        PreparedAccess.install(new PreparedMessageAccess());
    }

    private PreparedMessageAccess() {
    }

    /** Loads this class, and so installs the access, once per JVM. */
    static void ensureInstalled() {
        // the static initializer did the work
    }

    @Override
    public Opcode opcode(PreparedMessage message) {
        return message.opcode();
    }

    @Override
    public ByteBuffer frame(PreparedMessage message) {
        return message.sharedFrame();
    }

    @Override
    public ByteBuffer variant(PreparedMessage message, Object key, Function<PreparedMessage, ByteBuffer> encoder) {
        return message.variant(key, encoder);
    }
}
