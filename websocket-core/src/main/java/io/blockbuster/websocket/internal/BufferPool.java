package io.blockbuster.websocket.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A small pool of equal-sized heap buffers owned by one event loop, so a connection borrows a read
 * or write buffer only while it is using one and an idle connection holds none. Not thread safe:
 * only the owning loop's thread touches it. Bounded: buffers returned to a full pool are dropped
 * for the garbage collector; an empty pool allocates.
 */
final class BufferPool {
    private final int bufferBytes;
    private final int maxPooled;
    private final ArrayDeque<ByteBuffer> free;

    BufferPool(int bufferBytes, int maxPooled) {
        this.bufferBytes = bufferBytes;
        this.maxPooled = maxPooled;
        this.free = new ArrayDeque<>(maxPooled);
    }

    int bufferBytes() {
        return bufferBytes;
    }

    /** A cleared buffer of {@link #bufferBytes()}; contents are not zeroed. */
    ByteBuffer acquire() {
        ByteBuffer b = free.pollFirst();
        return b != null ? b : ByteBuffer.allocate(bufferBytes);
    }

    void release(ByteBuffer buffer) {
        if (buffer.capacity() == bufferBytes && free.size() < maxPooled) {
            buffer.clear();
            free.addFirst(buffer);
        }
    }

    int pooled() {
        return free.size();
    }
}
