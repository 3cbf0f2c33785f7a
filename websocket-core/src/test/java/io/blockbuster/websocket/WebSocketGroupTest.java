package io.blockbuster.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockbuster.websocket.internal.GroupMember;
import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.protocol.Opcode;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Broadcasts through a {@link WebSocketGroup} to real connections on loopback, over two event loops;
 * also what a lone message costs: written at once from the message's shared frame when nothing is
 * queued, and finished from the queue, in order, when the socket takes only part of it.
 */
class WebSocketGroupTest {
    private static final String LOOP_THREAD = "blockbuster-server-";
    private Loopback loopback;
    private final List<WebSocket> serverSide = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (loopback != null) {
            loopback.close();
        }
    }

    private int start(WebSocketLimits limits) throws Exception {
        return start(false, limits);
    }

    private int start(boolean tls, WebSocketLimits limits) throws Exception {
        loopback = Loopback.start(tls, b -> b.limits(limits).handler("/ws", new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                serverSide.add(ws);
            }
        }), WebSocketClient.builder());
        return loopback.port();
    }

    private List<Recorder> connect(int port, int n) throws Exception {
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
    void everyMemberGetsEveryMessageInOrderOnBothLoops() throws Exception {
        List<Recorder> clients = connect(start(WebSocketLimits.DEFAULTS), 6);
        WebSocketGroup<PreparedMessage> group = WebSocketGroup.create(WebSocketGroup.Overload.CLOSE_SLOW_PEER);
        for (WebSocket ws : serverSide) {
            assertThat(group.add(ws)).isTrue();
        }
        assertThat(group.add(serverSide.get(0))).as("a member already").isFalse();
        assertThat(group.size()).isEqualTo(6);
        assertThat(serverSide.stream().map(WebSocketGroupTest::loopOf).distinct()).as("spread over both loops").hasSize(2);

        for (int i = 0; i < 200; i++) {
            group.broadcast(PreparedMessage.text("m" + i));
        }
        for (Recorder r : clients) {
            for (int i = 0; i < 200; i++) {
                assertThat(r.next()).isEqualTo("text m" + i);
            }
        }
        assertThat(group.dropped()).isZero();
    }

    @Test
    void messagesBroadcastWhileTheLoopIsBusyGatherAndAllArrive() throws Exception {
        List<Recorder> clients = connect(start(WebSocketLimits.DEFAULTS), 4);
        WebSocketGroup<PreparedMessage> group = WebSocketGroup.create(WebSocketGroup.Overload.CLOSE_SLOW_PEER);
        serverSide.forEach(group::add);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        for (WebSocket ws : serverSide) {
            loopOf(ws).execute(() -> {
                busy.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS); // holds the loop while messages gather
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 40; i++) {
            group.broadcast(PreparedMessage.text("g" + i));
        }
        release.countDown();
        for (Recorder r : clients) {
            for (int i = 0; i < 40; i++) {
                assertThat(r.next()).isEqualTo("text g" + i);
            }
        }
    }

    @Test
    void latestKeepsOnlyTheNewestForAPeerThatDoesNotReadAndSendsItOnceItReads() throws Exception {
        int port = start(WebSocketLimits.builder().writeBuffer(1024, 4096, 64 << 20).build());
        try (RawClient raw = new RawClient(port, 4096)) {
            assertThat(raw.handshake("/ws")).startsWith("HTTP/1.1 101");
            Await.until(() -> serverSide.size() == 1, "the connection");
            WebSocket ws = serverSide.get(0);
            WebSocketGroup<PreparedMessage> group = WebSocketGroup.create(WebSocketGroup.Overload.LATEST);
            group.add(ws);
            String filler = "x".repeat(1000);
            int sent = 0;
            // The peer reads nothing, so its socket buffers fill, the connection goes above its high
            // watermark, and from then on each broadcast replaces the one waiting.
            while (group.dropped() < 50) {
                group.broadcast(PreparedMessage.text(filler + sent++));
                if (sent % 20 == 0) {
                    caughtUp(ws); // keeps the broadcasts from running far ahead of the loop
                }
                assertThat(sent).as("no drop after many broadcasts").isLessThan(1_000_000);
            }
            String last = filler + "last";
            group.broadcast(PreparedMessage.text(last));
            assertThat(ws.bufferedBytes()).as("bounded by the policy, not by the broadcasts").isLessThan(64 * 1024);

            RawClient.Frame f;
            int received = 0;
            do {
                f = raw.readFrame();
                assertThat(f.opcode()).isEqualTo(Opcode.TEXT);
                received++;
            } while (!f.text().equals(last));
            caughtUp(ws); // the last broadcast's drop, if any, is counted on the loop
            long drops = group.dropped();
            assertThat(received + drops + group.conflated()).as("each broadcast received, dropped or conflated")
                    .isEqualTo(sent + 1);
        }
    }

    @Test
    void receiversRunOnTheirConnectionsLoopAndClosedMembersLeave() throws Exception {
        List<Recorder> clients = connect(start(WebSocketLimits.DEFAULTS), 3);
        WebSocketGroup<String> group = WebSocketGroup.withReceivers();
        Map<WebSocket, List<String>> got = new ConcurrentHashMap<>();
        List<String> offLoop = new CopyOnWriteArrayList<>();
        for (WebSocket ws : serverSide) {
            got.put(ws, new CopyOnWriteArrayList<>());
            group.add(ws, message -> {
                got.get(ws).add(message);
                ws.sendText(message.toUpperCase());
                if (!Thread.currentThread().getName().startsWith(LOOP_THREAD)) {
                    offLoop.add(Thread.currentThread().getName());
                }
            });
        }
        assertThatThrownBy(() -> group.add(serverSide.get(0))).isInstanceOf(IllegalStateException.class);
        group.broadcast("a");
        group.broadcast("b");
        for (Recorder r : clients) {
            assertThat(r.next()).isEqualTo("text A");
            assertThat(r.next()).isEqualTo("text B");
        }
        assertThat(got.values()).allSatisfy(list -> assertThat(list).containsExactly("a", "b"));
        assertThat(offLoop).isEmpty();

        assertThat(group.remove(serverSide.get(0))).isTrue();
        assertThat(group.remove(serverSide.get(0))).isFalse();
        assertThat(group.size()).isEqualTo(2);
    }

    @Test
    void aClosedConnectionLeavesTheGroupOnTheNextBroadcast() throws Exception {
        List<Recorder> clients = connect(start(WebSocketLimits.DEFAULTS), 2);
        WebSocketGroup<PreparedMessage> group = WebSocketGroup.create(WebSocketGroup.Overload.LATEST);
        serverSide.forEach(group::add);
        serverSide.get(0).close(CloseCodes.NORMAL_CLOSURE, "bye");
        assertThat(clients.get(0).next()).startsWith("close 1000");
        group.broadcast(PreparedMessage.text("after"));
        assertThat(clients.get(1).next()).isEqualTo("text after");
        Await.until(() -> group.size() == 1, "the closed member removed");
    }

    /** Holds every member's loop until the returned latch is counted down (messages gather meanwhile). */
    private CountDownLatch holdLoops() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<Executor> loops = serverSide.stream().map(WebSocketGroupTest::loopOf).distinct().toList();
        CountDownLatch held = new CountDownLatch(loops.size());
        for (Executor loop : loops) {
            loop.execute(() -> {
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void aReceiversGroupPushesBackThenShedsTheOldestAndTellsTheMembersWhatTheyMissed() throws Exception {
        connect(start(WebSocketLimits.DEFAULTS), 2);
        WebSocketGroup<Integer> group = WebSocketGroup.withReceivers();
        Map<WebSocket, List<String>> got = new ConcurrentHashMap<>();
        for (WebSocket ws : serverSide) {
            List<String> events = new CopyOnWriteArrayList<>();
            got.put(ws, events);
            group.add(ws, new WebSocketGroup.Receiver<>() {
                @Override
                public void receive(Integer message) {
                    events.add("m" + message);
                }

                @Override
                public void missed(long count) {
                    events.add("missed " + count);
                }
            });
        }
        CountDownLatch release = holdLoops();
        int over = 10;
        int total = WebSocketGroup.MAX_BACKLOG + over;
        List<Boolean> keptUp = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            keptUp.add(group.broadcast(i));
        }
        // Both members may share a loop or not: each loop's backlog counts on its own.
        assertThat(keptUp.subList(0, WebSocketGroup.MAX_MESSAGES_PER_RUN)).containsOnly(true);
        assertThat(keptUp.subList(WebSocketGroup.MAX_MESSAGES_PER_RUN, total)).containsOnly(false);
        assertThat(group.shed()).isEqualTo(2L * over);
        release.countDown();
        for (List<String> events : got.values()) {
            Await.until(() -> events.size() == 1 + WebSocketGroup.MAX_BACKLOG, "the rest delivered: " + events);
            assertThat(events.get(0)).isEqualTo("missed " + over);
            assertThat(events.get(1)).isEqualTo("m" + (over + 1));
            assertThat(events.get(events.size() - 1)).isEqualTo("m" + total);
        }
    }

    @Test
    void aShedDuringARunIsToldBeforeAnyMessageAfterTheGap() throws Exception {
        // The shed happens while the loop's task is delivering: the receiver of message 1 broadcasts
        // past the bound from the loop itself, so the oldest waiting messages (2..over+1) are shed
        // between two polls of that same run. The member must hear "missed" before message over+2,
        // never a later message first (a seq gap the subscriber cannot tell from loss).
        connect(start(WebSocketLimits.DEFAULTS), 1);
        WebSocketGroup<Integer> group = WebSocketGroup.withReceivers();
        int bound = WebSocketGroup.MAX_BACKLOG;
        int over = 5;
        List<String> events = new CopyOnWriteArrayList<>();
        group.add(serverSide.get(0), new WebSocketGroup.Receiver<>() {
            @Override
            public void receive(Integer message) {
                events.add("m" + message);
                if (message == 1) {
                    for (int i = bound + 1; i <= bound + over + 1; i++) {
                        group.broadcast(i);
                    }
                }
            }

            @Override
            public void missed(long count) {
                events.add("missed " + count);
            }
        });
        CountDownLatch release = holdLoops();
        for (int i = 1; i <= bound; i++) {
            group.broadcast(i);
        }
        release.countDown();
        int last = bound + over + 1;
        Await.until(() -> events.contains("m" + last), "the last message delivered: " + events);
        assertThat(events.subList(0, 3)).containsExactly("m1", "missed " + over, "m" + (over + 2));
        assertThat(events).hasSize(bound + 2);
        assertThat(group.shed()).isEqualTo(over);
    }

    @Test
    void aLatestOnlyGroupHandsALoopThatFellBehindOnlyTheNewest() throws Exception {
        connect(start(WebSocketLimits.DEFAULTS), 2);
        WebSocketGroup<Integer> group = WebSocketGroup.withReceivers(true, WebSocketGroup.MAX_BACKLOG);
        Map<WebSocket, List<Integer>> got = new ConcurrentHashMap<>();
        for (WebSocket ws : serverSide) {
            List<Integer> values = new CopyOnWriteArrayList<>();
            got.put(ws, values);
            group.add(ws, values::add);
        }
        CountDownLatch release = holdLoops();
        for (int i = 1; i <= 30; i++) {
            group.broadcast(i);
        }
        release.countDown();
        for (WebSocket ws : serverSide) {
            caughtUp(ws);
        }
        assertThat(got.values()).allSatisfy(values -> assertThat(values).containsExactly(30));
        assertThat(group.conflated()).isEqualTo(2L * 29);
    }

    @Test
    void aCloseSlowPeerGroupPushesBackButShedsNothing() throws Exception {
        List<Recorder> clients = connect(start(WebSocketLimits.DEFAULTS), 2);
        WebSocketGroup<PreparedMessage> group = WebSocketGroup.create(WebSocketGroup.Overload.CLOSE_SLOW_PEER);
        serverSide.forEach(group::add);
        CountDownLatch release = holdLoops();
        int total = WebSocketGroup.MAX_BACKLOG * 2;
        boolean pushedBack = false;
        for (int i = 0; i < total; i++) {
            pushedBack |= !group.broadcast(PreparedMessage.text("q" + i));
        }
        assertThat(pushedBack).isTrue();
        release.countDown();
        for (Recorder r : clients) {
            for (int i = 0; i < total; i++) {
                assertThat(r.next()).isEqualTo("text q" + i);
            }
        }
        assertThat(group.shed()).isZero();
        assertThat(group.conflated()).isZero();
    }

    /** The event loop that runs {@code ws} (internal: hosts use a group and never need it). */
    // ---- a lone message is written at once from the shared frame: no queue unit, frame view or future ----

    @Test
    void aBroadcastToConnectionsWithNothingQueuedAllocatesNothingPerDeliveryOnTheLoops() throws Exception {
        int members = 100;
        List<Recorder> clients = connect(start(WebSocketLimits.DEFAULTS), members);
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
        List<Recorder> clients = connect(start(WebSocketLimits.DEFAULTS), 4);
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
    @ParameterizedTest(name = "tls {0}")
    @ValueSource(booleans = {false, true})
    void aFrameTheSocketTakesOnlyPartOfIsFinishedFromTheQueueInOrder(boolean tls) throws Exception {
        int port = start(tls, WebSocketLimits.builder().writeBuffer(1 << 20, 2 << 20, 64 << 20).build());
        try (RawClient raw = tls ? RawClient.overTls(port, 4096) : new RawClient(port, 4096)) {
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
        Set<Executor> seen = new HashSet<>();
        for (WebSocket ws : connections) {
            if (seen.add(loopOf(ws))) {
                one.add(ws);
            }
        }
        return one;
    }

    private static Executor loopOf(WebSocket ws) {
        return GroupMember.of(ws).loop();
    }

    /** Returns once {@code ws}'s loop has run everything handed to it before this call. */
    private static void caughtUp(WebSocket ws) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        loopOf(ws).execute(done::countDown);
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
                loopOf(ws).execute(() -> id.complete(Thread.currentThread().getId()));
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
