package io.blockbuster.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The send queue against a socket that takes a few bytes per write: every unit goes out whole and in
 * order, each future completes once its last byte is out and not before, and the byte count matches
 * what waits. The socket is a stand-in that takes at most {@code n} bytes per write, for every n from
 * 1 up, which a real socket cannot be made to do on demand.
 */
class SendQueueTest {
    private final Object lock = new Object();
    private final ByteBuffer[] gather = new ByteBuffer[8];

    @Test
    void everyUnitGoesOutWholeAndInOrderHoweverFewBytesEachWriteTakes() throws Exception {
        List<String> texts = List.of("a", "bb", "header+payload", "ccc", "the last one");
        String all = String.join("", texts);
        for (int perWrite = 1; perWrite <= all.length() + 1; perWrite++) {
            SendQueue queue = new SendQueue(lock);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (String t : texts) {
                futures.add(add(queue, t, false));
            }
            assertThat(queue.bytes()).isEqualTo(all.length());
            Socket socket = new Socket(perWrite);
            int writes = 0;
            while (!queue.isEmpty()) {
                queue.writeTo(socket, gather);
                socket.drain();
                int out = socket.out.size();
                int done = 0;
                int completeBytes = 0;
                for (String t : texts) {
                    if (completeBytes + t.length() > out) {
                        break;
                    }
                    completeBytes += t.length();
                    done++;
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertThat(futures.get(i).isDone()).as("unit %d after %d bytes, %d per write", i, out, perWrite)
                            .isEqualTo(i < done);
                }
                assertThat(queue.bytes()).isEqualTo(all.length() - completeBytes);
                assertThat(++writes).isLessThan(10 * all.length());
            }
            assertThat(socket.out.toString(StandardCharsets.US_ASCII)).isEqualTo(all);
            assertThat(queue.writtenTotal()).isEqualTo(all.length());
        }
    }

    @Test
    void unitsAddedFromManyThreadsArriveEachWholeAndInEachThreadsOrder() throws Exception {
        SendQueue queue = new SendQueue(lock);
        int threads = 4;
        int each = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            char name = (char) ('A' + t);
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    add(queue, name + Integer.toString(i) + ";", false);
                }
            });
            th.start();
            adders.add(th);
        }
        Socket socket = new Socket(7);
        start.countDown();
        while (adders.stream().anyMatch(Thread::isAlive) || !queue.isEmpty()) {
            queue.writeTo(socket, gather); // the loop thread's side, while the others add
            socket.drain();
        }
        for (Thread th : adders) {
            th.join(TimeUnit.SECONDS.toMillis(30));
        }
        int[] next = new int[threads];
        for (String unit : socket.out.toString(StandardCharsets.US_ASCII).split(";")) {
            int t = unit.charAt(0) - 'A';
            assertThat(Integer.parseInt(unit.substring(1))).as("thread %d's order", t).isEqualTo(next[t]++);
        }
        assertThat(next).containsOnly(each);
    }

    @Test
    void aSlowPeerLosesTheUnitsNotStartedButNotThePartlyWrittenOneOrTheCloseFrame() throws Exception {
        SendQueue queue = new SendQueue(lock);
        add(queue, "started", false);
        Socket socket = new Socket(3);
        queue.writeTo(socket, gather);
        CompletableFuture<Void> unstarted = add(queue, "never", false);
        add(queue, "CLOSE", true);
        List<Outbound> dropped;
        synchronized (lock) {
            dropped = queue.dropUnstarted();
        }
        assertThat(dropped).hasSize(1);
        assertThat(dropped.get(0).future).isSameAs(unstarted);
        assertThat(queue.bytes()).isEqualTo("started".length() + "CLOSE".length());
        socket.take(100);
        socket.drain();
        assertThat(queue.writeTo(socket, gather)).as("the close unit went out").isTrue();
        socket.drain();
        assertThat(socket.out.toString(StandardCharsets.US_ASCII)).isEqualTo("startedCLOSE");
        assertThat(queue.isEmpty()).isTrue();

        add(queue, "late", false);
        List<Outbound> all;
        synchronized (lock) {
            all = queue.drainAll();
        }
        assertThat(all).hasSize(1);
        assertThat(queue.bytes()).isZero();
    }

    private CompletableFuture<Void> add(SendQueue queue, String text, boolean close) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        synchronized (lock) {
            queue.add(new Outbound(new ByteBuffer[] {b}, b.remaining(), f, close));
        }
        return f;
    }

    /** Takes at most {@code perWrite} bytes per write (unless stopped), and keeps what it took. */
    private static final class Socket implements Transport {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int perWrite;
        private boolean full;

        Socket(int perWrite) {
            this.perWrite = perWrite;
        }

        void take(int n) {
            perWrite = n;
        }

        /** The peer reads: the next write finds room again. */
        void drain() {
            full = false;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            int budget = perWrite;
            long taken = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                ByteBuffer b = srcs[i];
                int n = Math.min(budget, b.remaining());
                for (int j = 0; j < n; j++) {
                    out.write(b.get());
                }
                budget -= n;
                taken += n;
            }
            full = remaining(srcs, offset, length) > 0;
            return taken;
        }

        private static long remaining(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += srcs[i].remaining();
            }
            return n;
        }

        @Override
        public long writeShared(ByteBuffer src) {
            return write(new ByteBuffer[] {src.duplicate()}, 0, 1);
        }

        @Override
        public boolean wantsWrite() {
            return full;
        }

        @Override
        public int read(ByteBuffer dst) {
            return 0;
        }

        @Override
        public boolean hasBufferedInput() {
            return false;
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
        }
    }
}
