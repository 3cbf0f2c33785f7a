package io.blockbuster.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The byte pipe under a connection: a plain socket or TLS over it. Used only on the loop thread.
 * Knows nothing of WebSocket.
 */
interface Transport {

    /**
     * Reads application bytes into {@code dst} (which has at least a pool buffer's worth of room).
     *
     * @return bytes added to {@code dst}, 0 if none are available now, -1 at end of stream
     */
    int read(ByteBuffer dst) throws IOException;

    /** True when input is already buffered below us and {@link #read} should be called again at once. */
    boolean hasBufferedInput();

    /**
     * Writes as much of {@code srcs[offset..offset+length)} as the socket takes now.
     *
     * @return application bytes consumed from the buffers
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Writes as much of {@code src}'s remaining bytes as the socket takes now and leaves {@code src}
     * as it was: it may be a frame shared by many connections (a broadcast).
     *
     * @return application bytes written
     */
    long writeShared(ByteBuffer src) throws IOException;

    /** True when bytes wait for the socket to become writable (register for OP_WRITE). */
    boolean wantsWrite();

    /** Continues a pending TLS handshake or flushes pending bytes; returns true when ready for data. */
    boolean progress() throws IOException;

    /** False while the transport cannot take input (TLS handshake work running off the loop). */
    default boolean wantsRead() {
        return true;
    }

    /** True once application data can flow (always for plain sockets). */
    boolean isReady();

    /** Closes the socket (best-effort TLS close_notify first) and returns borrowed buffers. */
    void close();
}
