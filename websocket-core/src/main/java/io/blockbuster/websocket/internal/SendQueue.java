package io.blockbuster.websocket.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A connection's outbound units in order: any thread adds whole units under the connection's send
 * lock, the loop thread writes them with gathering writes and completes each unit's future once its
 * last byte is out. Units are never split into or merged with others, so messages never interleave.
 * Counts the queued bytes for backpressure. Knows nothing of WebSocket rules: what may be added, and
 * when, is the connection's business (under its send lock).
 *
 * <p>The units are linked through {@link Outbound#next}, in two lists: the ones added since the loop
 * last looked (under the lock), and the ones the loop took over and is writing (loop thread only). So
 * adding a unit allocates nothing beyond it, a connection at rest holds no queue nodes, and the loop
 * takes the lock once per write, not once per unit.
 */
final class SendQueue {
    // A volatile long behind a VarHandle, not an AtomicLong object per connection (idle footprint).
    private static final VarHandle BYTES;

    static {
        try {
            BYTES = MethodHandles.lookup().findVarHandle(SendQueue.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object lock;
    /** Under {@code lock}: units added and not yet taken over by the loop. */
    private Outbound addedHead;
    private Outbound addedTail;
    /** Loop thread: the units being written, oldest first. */
    private Outbound head;
    private Outbound tail;
    private volatile long bytes;
    /** Bytes handed to the transport over the connection's life (JFR's bytes out). Loop thread. */
    private long writtenTotal;

    /** @param lock the connection's send lock, held by every caller of {@link #add} */
    SendQueue(Object lock) {
        this.lock = lock;
    }

    /** Bytes queued and not yet written (whole units; a unit leaves when fully written). Any thread. */
    long bytes() {
        return bytes;
    }

    /** True when no unit waits (every unit has at least one byte). Any thread. */
    boolean isEmpty() {
        return bytes == 0;
    }

    /** Appends a unit; returns the queued bytes after it. Caller holds the send lock. */
    long add(Outbound unit) {
        if (addedTail == null) {
            addedHead = unit;
        } else {
            addedTail.next = unit;
        }
        addedTail = unit;
        return (long) BYTES.getAndAdd(this, unit.length) + unit.length;
    }

    /** Counts bytes written past the queue (a frame written at once, when nothing was queued). Loop thread. */
    void wrotePast(long n) {
        writtenTotal += n;
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
            synchronized (lock) {
                takeAdded();
            }
            int n = 0;
            for (Outbound o = head; o != null; o = o.next) {
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
            while (head != null && head.isDone()) {
                Outbound done = removeHead();
                BYTES.getAndAdd(this, -done.length);
                if (done.future != null) {
                    done.future.complete(null);
                }
                wroteClose |= done.close;
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
     * Loop thread, with the send lock held.
     */
    List<Outbound> dropUnstarted() {
        takeAdded();
        List<Outbound> dropped = new ArrayList<>();
        Outbound kept = null;
        for (Outbound o = head; o != null; o = o.next) {
            if (o.started || o.close) {
                if (kept == null) {
                    head = o;
                } else {
                    kept.next = o;
                }
                kept = o;
            } else {
                BYTES.getAndAdd(this, -o.length);
                dropped.add(o);
            }
        }
        if (kept == null) {
            head = null;
        } else {
            kept.next = null;
        }
        tail = kept;
        return dropped;
    }

    /** Removes and returns every unit (the connection ended); the count drops to zero. Send lock held. */
    List<Outbound> drainAll() {
        takeAdded();
        List<Outbound> all = new ArrayList<>();
        while (head != null) {
            all.add(removeHead());
        }
        bytes = 0;
        return all;
    }

    long writtenTotal() {
        return writtenTotal;
    }

    /** Moves the added units behind the loop's own. Send lock held. */
    private void takeAdded() {
        if (addedHead == null) {
            return;
        }
        if (tail == null) {
            head = addedHead;
        } else {
            tail.next = addedHead;
        }
        tail = addedTail;
        addedHead = null;
        addedTail = null;
    }

    private Outbound removeHead() {
        Outbound o = head;
        head = o.next;
        o.next = null;
        if (head == null) {
            tail = null;
        }
        return o;
    }
}
