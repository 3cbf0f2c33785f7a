package io.blockbuster.websocket.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TimerHeapTest {

    static final class Entry extends Timed {
        final List<Long> firedAt;

        Entry(List<Long> firedAt) {
            this.firedAt = firedAt;
        }

        @Override
        void onTimer(long nowNanos) {
            firedAt.add(deadlineNanos);
        }
    }

    @Test
    void firesInDeadlineOrderAfterRandomSchedulesMovesAndRemovals() {
        Random random = new Random(42);
        TimerHeap heap = new TimerHeap();
        List<Long> fired = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            entries.add(new Entry(fired));
        }
        long base = Long.MAX_VALUE - 1_000_000; // deadlines wrap around like System.nanoTime may
        for (int round = 0; round < 5; round++) {
            for (Entry e : entries) {
                int action = random.nextInt(4);
                if (action == 3) {
                    heap.remove(e);
                } else {
                    heap.schedule(e, base + random.nextInt(2_000_000));
                }
            }
        }
        int scheduled = 0;
        for (Entry e : entries) {
            if (e.heapIndex >= 0) {
                scheduled++;
            }
        }
        assertThat(heap.size()).isEqualTo(scheduled);
        heap.runExpired(base + 1_000_000);
        heap.runExpired(base + 2_000_000);
        assertThat(fired).hasSize(scheduled);
        for (int i = 1; i < fired.size(); i++) {
            assertThat(fired.get(i) - fired.get(i - 1)).isGreaterThanOrEqualTo(0);
        }
        assertThat(heap.size()).isZero();
        assertThat(heap.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nothingFiresBeforeItsDeadlineAndRemovedEntriesNeverFire() {
        TimerHeap heap = new TimerHeap();
        List<Long> fired = new ArrayList<>();
        Entry a = new Entry(fired);
        Entry b = new Entry(fired);
        heap.schedule(a, 100);
        heap.schedule(b, 50);
        assertThat(heap.nextDeadline()).isEqualTo(50);
        heap.remove(b);
        heap.runExpired(99);
        assertThat(fired).isEmpty();
        heap.schedule(a, 10); // moved earlier
        heap.runExpired(10);
        assertThat(fired).containsExactly(10L);
        assertThat(a.heapIndex).isEqualTo(-1);
    }
}
