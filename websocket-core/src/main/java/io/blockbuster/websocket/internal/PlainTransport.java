package io.blockbuster.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A plain TCP socket. Holds no buffers. */
final class PlainTransport implements Transport {
    private final SocketChannel channel;
    private boolean wantsWrite;

    PlainTransport(SocketChannel channel) {
        this.channel = channel;
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
        long written = channel.write(srcs, offset, length);
        wantsWrite = srcs[offset + length - 1].hasRemaining();
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
