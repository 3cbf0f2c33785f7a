package io.blockbuster.websocket.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A connection's outbound units in order: any thread adds whole units, the loop thread writes them
 * with gathering writes and completes each unit's future once its last byte is out. Units are never
 * split into or merged with others, so messages never interleave. Counts the queued bytes for
 * backpressure. Knows nothing of WebSocket rules: what may be added, and when, is the connection's
 * business (under its send lock).
 */
final class SendQueue {
    private final ConcurrentLinkedQueue<Outbound> units = new ConcurrentLinkedQueue<>();
    // A volatile long behind a VarHandle, not an AtomicLong object per connection (idle footprint).
    /** Bytes handed to the transport over the connection's life (JFR's bytes out). Loop thread. */
    private long writtenTotal;
    private static final VarHandle BYTES;

    static {
        try {
            BYTES = MethodHandles.lookup().findVarHandle(SendQueue.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long bytes;

    /** Bytes queued and not yet written (whole units; a unit leaves when fully written). Any thread. */
    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return units.isEmpty();
    }

    /** Appends a unit; returns the queued bytes after it. Any thread. */
    long add(Outbound unit) {
        units.add(unit);
        return (long) BYTES.getAndAdd(this, unit.length) + unit.length;
    }

    /**
     * Writes units in order through {@code transport}, at most {@code gather.length} buffers per
     * write, until the queue is empty, the transport stops taking bytes, or a close unit has gone
     * out. Loop thread.
     *
     * @return true when a close unit was completely written
     */
    boolean writeTo(Transport transport, ByteBuffer[] gather) throws IOException {
        while (true) {
            int n = 0;
            for (Outbound o : units) {
                for (ByteBuffer b : o.buffers) {
                    if (b.hasRemaining() && n < gather.length) {
                        gather[n++] = b;
                    }
                }
                o.started = true;
                if (n >= gather.length - 1 || o.close) {
                    break;
                }
            }
            if (n == 0) {
                return false;
            }
            long written;
            try {
                written = transport.write(gather, 0, n);
            } finally {
                Arrays.fill(gather, 0, n, null);
            }
            writtenTotal += written;
            boolean wroteClose = false;
            Outbound head;
            while ((head = units.peek()) != null && head.isDone()) {
                units.poll();
                BYTES.getAndAdd(this, -head.length);
                if (head.future != null) {
                    head.future.complete(null);
                }
                wroteClose |= head.close;
            }
            if (wroteClose) {
                return true;
            }
            if (transport.wantsWrite() || head == null || written == 0) {
                // written == 0 without wantsWrite: TLS waits for input first; a read resumes
                return false;
            }
        }
    }

    /**
     * Removes and returns the units of which nothing was written yet, except close frames: what a
     * peer too slow to read will never get. The caller fails their futures (outside its locks).
     * Loop thread.
     */
    List<Outbound> dropUnstarted() {
        List<Outbound> dropped = new ArrayList<>();
        units.removeIf(o -> {
            if (o.started || o.close) {
                return false;
            }
            BYTES.getAndAdd(this, -o.length);
            dropped.add(o);
            return true;
        });
        return dropped;
    }

    /** Removes and returns every unit (the connection ended); the count drops to zero. */
    List<Outbound> drainAll() {
        List<Outbound> all = new ArrayList<>();
        Outbound o;
        while ((o = units.poll()) != null) {
            all.add(o);
        }
        bytes = 0;
        return all;
    }

    long writtenTotal() {
        return writtenTotal;
    }
}
