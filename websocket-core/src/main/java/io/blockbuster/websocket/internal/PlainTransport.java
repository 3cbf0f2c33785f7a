package io.blockbuster.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A plain TCP socket. Holds no buffers of its own; writes of heap buffers go through its loop's
 * direct staging buffer.
 *
 * <p>Why stage: the JDK writes a heap buffer by copying it into a temporary direct buffer, one per
 * buffer of a gathering write, and then calls {@code writev}. A frame is a header and a payload, and
 * a flush is often several frames, so copying them ourselves into one direct buffer costs the same
 * copies and saves the JDK's per-buffer bookkeeping and the kernel's per-segment work: one plain
 * {@code write} per flush. Direct buffers (or more bytes than the stage holds) go out as a gathering
 * write, untouched.
 */
final class PlainTransport implements Transport {
    private final SocketChannel channel;
    /** The loop's direct buffer; its contents do not outlive one {@link #write} call. */
    private final ByteBuffer stage;
    private boolean wantsWrite;

    PlainTransport(SocketChannel channel, ByteBuffer stage) {
        this.channel = channel;
        this.stage = stage;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public boolean hasBufferedInput() {
        return false;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int end = offset + length;
        long total = 0;
        boolean anyHeap = false;
        for (int i = offset; i < end; i++) {
            total += srcs[i].remaining();
            anyHeap |= !srcs[i].isDirect();
        }
        if (!anyHeap || total > stage.capacity()) {
            long written = channel.write(srcs, offset, length);
            wantsWrite = srcs[end - 1].hasRemaining();
            return written;
        }
        stage.clear();
        for (int i = offset; i < end; i++) {
            put(srcs[i]);
        }
        int written = writeStage();
        // Consume from the sources what the socket took; the rest stays queued in them.
        long left = written;
        for (int i = offset; i < end && left > 0; i++) {
            ByteBuffer b = srcs[i];
            int take = (int) Math.min(b.remaining(), left);
            b.position(b.position() + take);
            left -= take;
        }
        return written;
    }

    @Override
    public long writeShared(ByteBuffer src) throws IOException {
        if (src.isDirect() || src.remaining() > stage.capacity()) {
            ByteBuffer view = src.duplicate();
            long written = channel.write(view);
            wantsWrite = view.hasRemaining();
            return written;
        }
        stage.clear();
        put(src);
        return writeStage();
    }

    /** Appends {@code src}'s remaining bytes to the stage; {@code src} is not changed. */
    private void put(ByteBuffer src) {
        int n = src.remaining();
        stage.put(stage.position(), src, src.position(), n);
        stage.position(stage.position() + n);
    }

    private int writeStage() throws IOException {
        stage.flip();
        int total = stage.remaining();
        int written = channel.write(stage);
        wantsWrite = written < total;
        return written;
    }

    @Override
    public boolean wantsWrite() {
        return wantsWrite;
    }

    @Override
    public boolean progress() {
        return true;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
