package io.blockbuster.websocket.internal;

import java.util.Arrays;

/**
 * The one timer of an event loop: a binary min-heap of {@link Timed} entries ordered by deadline,
 * each entry knowing its index so it can be moved or removed in O(log n). The loop sleeps in its
 * selector until the earliest deadline, so an idle loop with no deadlines uses no CPU. Not thread
 * safe: only the loop's thread touches it.
 */
final class TimerHeap {
    private Timed[] heap = new Timed[64];
    private int size;

    int size() {
        return size;
    }

    /** Earliest deadline, or {@link Long#MAX_VALUE} when empty. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadlineNanos;
    }

    /** Schedules or moves {@code t} to {@code deadlineNanos}; {@link Long#MAX_VALUE} removes it. */
    void schedule(Timed t, long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            remove(t);
            return;
        }
        if (t.heapIndex < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            t.deadlineNanos = deadlineNanos;
            t.heapIndex = size;
            heap[size++] = t;
            up(t.heapIndex);
        } else {
            long old = t.deadlineNanos;
            t.deadlineNanos = deadlineNanos;
            if (deadlineNanos - old < 0) {
                up(t.heapIndex);
            } else {
                down(t.heapIndex);
            }
        }
    }

    void remove(Timed t) {
        int i = t.heapIndex;
        if (i < 0) {
            return;
        }
        t.heapIndex = -1;
        Timed last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            up(i);
            down(last.heapIndex);
        }
    }

    /** Removes and runs every entry whose deadline is at or before {@code nowNanos}. */
    void runExpired(long nowNanos) {
        while (size > 0 && heap[0].deadlineNanos - nowNanos <= 0) {
            Timed t = heap[0];
            remove(t);
            t.onTimer(nowNanos);
        }
    }

    private void up(int i) {
        Timed t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timed p = heap[parent];
            if (p.deadlineNanos - t.deadlineNanos <= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void down(int i) {
        Timed t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadlineNanos - heap[child].deadlineNanos < 0) {
                child = right;
            }
            Timed c = heap[child];
            if (t.deadlineNanos - c.deadlineNanos <= 0) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
