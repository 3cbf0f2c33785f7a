package io.blockbuster.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockbuster.websocket.internal.GroupMember;
import io.blockbuster.websocket.protocol.Opcode;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A broadcast's delivery to a connection with nothing queued is written at once from the message's
 * shared frame: no queue unit, no frame view, no future per connection. A frame the socket takes
 * only part of is finished from the queue, in order with what follows. Real connections on loopback.
 */
class BroadcastWriteTest {
    private Loopback loopback;
    private final List<WebSocket> serverSide = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (loopback != null) {
            loopback.close();
        }
    }

    private int start(WebSocketLimits limits) throws Exception {
        loopback = Loopback.start(b -> b.limits(limits).handler("/ws", new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                serverSide.add(ws);
            }
        }));
        return loopback.port();
    }

    private List<Recorder> connect(int n) throws Exception {
        start(WebSocketLimits.DEFAULTS);
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Recorder r = new Recorder();
            loopback.client().connect(loopback.uri("/ws"), r).get(30, TimeUnit.SECONDS);
            assertThat(r.next()).isEqualTo("open");
            recorders.add(r);
        }
        Await.until(() -> serverSide.size() == n, n + " server-side connections");
        return recorders;
    }

    @Test
    void aBroadcastToConnectionsWithNothingQueuedAllocatesNothingPerDeliveryOnTheLoops() throws Exception {
        int members = 100;
        List<Recorder> clients = connect(members);
        WebSocketGroup<PreparedMessage> group = WebSocketGroup.create(WebSocketGroup.Overload.CLOSE_SLOW_PEER);
        serverSide.forEach(group::add);
        AllocationCounter loops = new AllocationCounter(serverSide);
        broadcastAndReceive(group, clients, "warm", 300); // the loops' code compiled
        long before = loops.allocated();
        int messages = 300;
        broadcastAndReceive(group, clients, "m", messages);
        long perDelivery = (loops.allocated() - before) / ((long) messages * members);
        // Queued, each delivery cost a frame view, its array, a queue unit and its node (about 130 B).
        assertThat(perDelivery).as("bytes the server's loops allocated per delivery").isLessThan(8);
        for (WebSocket ws : serverSide) {
            assertThat(ws.bufferedBytes()).isZero();
        }
    }

    @Test
    void aSendFromAGroupsDeliveryWrittenAtOnceReturnsTheSharedCompletedFuture() throws Exception {
        List<Recorder> clients = connect(4);
        List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
        WebSocketGroup<PreparedMessage> group = WebSocketGroup.withReceivers();
        for (WebSocket ws : serverSide) {
            group.add(ws, message -> futures.add(ws.send(message)));
        }
        for (int i = 0; i < 20; i++) {
            group.broadcast(PreparedMessage.text("f" + i));
            for (Recorder r : clients) {
                assertThat(r.next()).isEqualTo("text f" + i);
            }
        }
        assertThat(futures).hasSize(4 * 20);
        assertThat(Set.copyOf(futures)).as("one shared future for sends written at once").hasSize(1);
        CompletableFuture<Void> written = futures.get(0);
        assertThat(written).isCompleted();
        assertThat(written.complete(null)).isFalse();
        assertThat(written.completeExceptionally(new RuntimeException())).isFalse();
        assertThat(written.cancel(true)).isFalse();
        assertThatThrownBy(() -> written.obtrudeValue(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> written.obtrudeException(new RuntimeException()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(written).as("still complete, normally").isCompletedWithValue(null);
        assertThat(written.thenApply(v -> "next")).as("what hangs off it is its own").isCompletedWithValue("next");
    }

    /**
     * The peer reads nothing, so the socket soon takes only part of a frame: the rest waits in the
     * queue and the later messages behind it, and once the peer reads, every message arrives whole and
     * in order. Sizes on both sides of the loop's write stage (64 KiB): staged and written as they are.
     */
    @Test
    void aFrameTheSocketTakesOnlyPartOfIsFinishedFromTheQueueInOrder() throws Exception {
        int port = start(WebSocketLimits.builder().writeBuffer(1 << 20, 2 << 20, 64 << 20).build());
        try (RawClient raw = new RawClient(port, 4096)) {
            assertThat(raw.handshake("/ws")).startsWith("HTTP/1.1 101");
            Await.until(() -> serverSide.size() == 1, "the connection");
            WebSocket ws = serverSide.get(0);
            WebSocketGroup<PreparedMessage> group = WebSocketGroup.create(WebSocketGroup.Overload.CLOSE_SLOW_PEER);
            group.add(ws);
            List<String> sent = new ArrayList<>();
            int afterFull = 10; // messages broadcast once the socket stopped taking whole frames
            for (int i = 0; afterFull > 0; i++) {
                assertThat(i).as("the socket fills within a few MiB").isLessThan(500);
                int size = i % 3 == 0 ? 100_000 : 20_000 + i;
                String text = (char) ('a' + i % 26) + "-" + i + "-" + "x".repeat(size);
                sent.add(text);
                group.broadcast(PreparedMessage.text(text));
                caughtUp(ws); // each delivery runs alone, so it writes at once while nothing is queued
                if (ws.bufferedBytes() > 0) {
                    afterFull--;
                }
            }
            for (String expected : sent) {
                RawClient.Frame f = raw.readFrame();
                assertThat(f.opcode()).isEqualTo(Opcode.TEXT);
                assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo(expected);
            }
            Await.until(() -> ws.bufferedBytes() == 0, "the queue written out");
            assertThat(ws.isOpen()).isTrue();
        }
    }

    /** Broadcasts one message at a time, as a broadcaster at a steady rate does, then checks every client got them all. */
    private void broadcastAndReceive(WebSocketGroup<PreparedMessage> group, List<Recorder> clients, String prefix,
                                     int messages) throws InterruptedException {
        for (int i = 0; i < messages; i++) {
            group.broadcast(PreparedMessage.text(prefix + i));
            for (WebSocket ws : loopsOf(serverSide)) {
                caughtUp(ws); // so no message gathers behind another
            }
        }
        for (Recorder r : clients) {
            for (int i = 0; i < messages; i++) {
                assertThat(r.next()).isEqualTo("text " + prefix + i);
            }
        }
    }

    /** One connection per event loop. */
    private static List<WebSocket> loopsOf(List<WebSocket> connections) {
        List<WebSocket> one = new ArrayList<>();
        Set<Object> seen = new java.util.HashSet<>();
        for (WebSocket ws : connections) {
            if (seen.add(GroupMember.of(ws).loop())) {
                one.add(ws);
            }
        }
        return one;
    }

    private static void caughtUp(WebSocket ws) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        GroupMember.of(ws).loop().execute(done::countDown);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Bytes allocated by the threads of the connections' event loops, from the JVM's per-thread counter. */
    private static final class AllocationCounter {
        private final Object mx;
        private final Method allocatedBytes;
        private final long[] threadIds;

        AllocationCounter(List<WebSocket> connections) throws Exception {
            // Reflection: the test is compiled into the module, which reads neither java.management
            // nor jdk.management (as in protocol.SteadyStateAllocationTest).
            mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> api = Class.forName("com.sun.management.ThreadMXBean");
            assertThat(api.isInstance(mx) && (Boolean) api.getMethod("isThreadAllocatedMemoryEnabled").invoke(mx))
                    .as("per-thread allocation counter").isTrue();
            allocatedBytes = api.getMethod("getThreadAllocatedBytes", long.class);
            List<Long> ids = new ArrayList<>();
            for (WebSocket ws : connections) {
                CompletableFuture<Long> id = new CompletableFuture<>();
                GroupMember.of(ws).loop().execute(() -> id.complete(Thread.currentThread().getId()));
                Long tid = id.get(30, TimeUnit.SECONDS);
                if (!ids.contains(tid)) {
                    ids.add(tid);
                }
            }
            threadIds = ids.stream().mapToLong(Long::longValue).toArray();
        }

        long allocated() throws Exception {
            long sum = 0;
            for (long id : threadIds) {
                sum += (Long) allocatedBytes.invoke(mx, id);
            }
            return sum;
        }
    }
}
