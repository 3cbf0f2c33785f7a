package io.blockbuster.websocket.deflate;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A small bounded stack of idle {@link java.util.zip.Deflater}s or {@link java.util.zip.Inflater}s
 * for connections that compress without context takeover: such a connection needs a codec only
 * while it transforms one message, so a few pooled codecs serve thousands of connections. Objects
 * are given back already reset. A codec given back to a full pool is ended at once, so the native
 * memory held by idle codecs never exceeds {@code capacity} of them. Thread safe; the lock is held
 * only to push or pop a reference.
 */
final class CodecPool<T> {
    private final Supplier<T> factory;
    private final Consumer<T> ender;
    private final Object[] idle;
    private int size;
    private int created;
    private int ended;

    CodecPool(int capacity, Supplier<T> factory, Consumer<T> ender) {
        this.factory = factory;
        this.ender = ender;
        this.idle = new Object[capacity];
    }

    /** Returns an idle codec, or a new one if none is idle. */
    T take() {
        synchronized (this) {
            if (size > 0) {
                @SuppressWarnings("unchecked")
                T t = (T) idle[--size];
                idle[size] = null;
                return t;
            }
            created++;
        }
        return factory.get();
    }

    /** Gives back a codec that is reset and no longer used by the caller; ends it if the pool is full. */
    void give(T codec) {
        synchronized (this) {
            if (size < idle.length) {
                idle[size++] = codec;
                return;
            }
            ended++;
        }
        ender.accept(codec);
    }

    /** Returns how many codecs sit idle in the pool. */
    synchronized int idleCount() {
        return size;
    }

    /** Returns how many codecs the pool has had to create. */
    synchronized int createdCount() {
        return created;
    }

    /** Returns how many codecs the pool has ended (given back to a full pool, or cleared). */
    synchronized int endedCount() {
        return ended;
    }

    /** Ends every idle codec; codecs given back later are kept again up to the capacity. */
    void clear() {
        Object[] drained;
        synchronized (this) {
            drained = java.util.Arrays.copyOf(idle, size);
            java.util.Arrays.fill(idle, 0, size, null);
            ended += size;
            size = 0;
        }
        for (Object o : drained) {
            @SuppressWarnings("unchecked")
            T t = (T) o;
            ender.accept(t);
        }
    }
}
