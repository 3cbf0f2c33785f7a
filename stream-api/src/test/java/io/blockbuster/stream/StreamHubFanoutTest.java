package io.blockbuster.stream;

import static io.blockbuster.stream.StreamHubDeliveryTest.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockbuster.stream.json.Json;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery through the sessions' {@link Fanout} ({@link StreamSession#fanout()}), here one that
 * hands each publish to an executor: one hand-off per fanout per publish, seq order kept, snapshots
 * and replays neither lost nor repeated, overflow still closes, lateness is skipped and told. Gathering under load is the
 * transport's fanout's business (websocket-core's {@code WebSocketGroupTest}; over real sockets,
 * {@code StreamBindingTest}).
 */
class StreamHubFanoutTest {
    private final ManualScheduler time = new ManualScheduler();
    private final List<ExecutorService> threads = new ArrayList<>();
    private StreamHub hub;

    /** Runs nothing until told to; counts what it was given. */
    static final class HeldTasks implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        int submitted;

        @Override
        public synchronized void execute(Runnable task) {
            submitted++;
            tasks.add(task);
        }

        void runOne() {
            next().run();
        }

        void runAll() {
            Runnable r;
            while ((r = next()) != null) {
                r.run();
            }
        }

        private synchronized Runnable next() {
            return tasks.poll();
        }
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (hub != null) {
            hub.close();
        }
        for (ExecutorService e : threads) {
            e.shutdownNow();
            assertThat(e.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private StreamHub hub() {
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).epoch("e")
                .limits(new HubLimits(4096, 8, 1000, 16)).build();
        return hub;
    }

    private ExecutorService thread() {
        ExecutorService e = Executors.newSingleThreadExecutor();
        threads.add(e);
        return e;
    }

    private static FakeSession subscriber(StreamHub hub, String stream, Fanout fanout) {
        FakeSession s = FakeSession.open(hub, fanout);
        assertThat(s.next()).containsEntry("type", "welcome");
        s.request("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\"}");
        assertThat(s.next()).containsEntry("type", "subscribed");
        return s;
    }

    @Test
    void sessionsSharingAFanoutCostThePublisherOneHandOffAndGetNothingBeforeItRuns() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events());
        hub.start();
        HeldTasks a = new HeldTasks();
        HeldTasks b = new HeldTasks();
        Fanout viaA = new ExecutorFanout(a);
        Fanout viaB = new ExecutorFanout(b);
        List<FakeSession> onA = List.of(subscriber(hub, "events", viaA), subscriber(hub, "events", viaA),
                subscriber(hub, "events", viaA));
        FakeSession onB = subscriber(hub, "events", viaB);
        FakeSession inline = subscriber(hub, "events", null);

        events.publish(1);

        assertThat(a.submitted).isEqualTo(1);
        assertThat(b.submitted).isEqualTo(1);
        assertThat(seqs(inline.drain())).containsExactly(1L);
        onA.forEach(FakeSession::assertNothingSent);
        a.runAll();
        for (FakeSession s : onA) {
            assertThat(seqs(s.drain())).containsExactly(1L);
        }
        onB.assertNothingSent();
        b.runAll();
        assertThat(seqs(onB.drain())).containsExactly(1L);
        events.publish(2);
        assertThat(a.submitted).as("the next publish schedules the next task").isEqualTo(2);
        a.runAll();
        b.runAll();
        assertThat(hub.stats().streams().get("events").delivered()).isEqualTo(10);
    }

    @Test
    void aSnapshotTakenWhileATaskIsPendingIsNeitherRepeatedNorOvertaken() {
        PushedSource state = new PushedSource();
        hub().register("state", state, StreamOptions.state());
        hub.start();
        HeldTasks loop = new HeldTasks();
        Fanout fanout = new ExecutorFanout(loop);
        FakeSession early = subscriber(hub, "state", fanout);
        state.publish("one"); // a task pending, for early only
        FakeSession late = FakeSession.open(hub, fanout);
        assertThat(late.next()).containsEntry("type", "welcome");
        late.request("{\"type\":\"subscribe\",\"stream\":\"state\"}");
        loop.runAll();
        List<Map<String, Object>> got = late.drain();
        assertThat(got.get(0)).containsEntry("type", "subscribed");
        assertThat(seqs(got.subList(1, got.size()))).as("the snapshot, once").containsExactly(1L);
        assertThat(seqs(early.drain())).containsExactly(1L);
        state.publish("two");
        loop.runAll();
        assertThat(seqs(late.drain())).containsExactly(2L);
        assertThat(seqs(early.drain())).containsExactly(2L);
    }

    @Test
    void aResumeReplayPrecedesLiveMessagesHandedToTheFanout() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withHistoryCapacity(100));
        hub.start();
        HeldTasks loop = new HeldTasks();
        for (int i = 1; i <= 5; i++) {
            events.publish(i);
        }
        FakeSession s = FakeSession.open(hub, new ExecutorFanout(loop));
        assertThat(s.next()).containsEntry("type", "welcome");
        s.resume("events", 2, "e");
        events.publish(6);
        loop.runAll();
        List<Map<String, Object>> got = s.drain();
        assertThat(got.get(0)).containsEntry("type", "subscribed");
        assertThat(seqs(got.subList(1, got.size()))).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void overflowThroughTheFanoutClosesOnlyTheSlowSubscriber() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withQueueCapacity(10));
        hub.start();
        HeldTasks loop = new HeldTasks();
        Fanout fanout = new ExecutorFanout(loop);
        FakeSession fast = subscriber(hub, "events", fanout);
        FakeSession slow = subscriber(hub, "events", fanout);
        slow.setWritable(false);
        for (int i = 1; i <= 11; i++) {
            events.publish(i);
        }
        assertThat(slow.closeCode).as("nothing happens before the tasks run").isNull();
        loop.runAll();
        assertThat(slow.closeCode).isEqualTo(StreamCloseCodes.SLOW_CONSUMER);
        assertThat(fast.closeCode).isNull();
        assertThat(seqs(fast.drain())).hasSize(11);
        assertThat(hub.stats().slowConsumersDisconnected()).isEqualTo(1);
        assertThat(hub.stats().streams().get("events").subscribers()).isEqualTo(1);
    }

    @Test
    void unsubscribingLeavesTheFanoutGroupAndEndsDelivery() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events());
        hub.start();
        HeldTasks loop = new HeldTasks();
        Fanout fanout = new ExecutorFanout(loop);
        FakeSession stays = subscriber(hub, "events", fanout);
        FakeSession leaves = subscriber(hub, "events", fanout);
        events.publish(1); // pending for both
        leaves.request("{\"type\":\"unsubscribe\",\"stream\":\"events\"}");
        events.publish(2);
        loop.runAll();
        assertThat(leaves.drain()).extracting(m -> m.get("type")).containsExactly("unsubscribed");
        assertThat(seqs(stays.drain())).containsExactly(1L, 2L);
        assertThat(hub.stats().streams().get("events").subscribers()).isEqualTo(1);
        leaves.connection.closed();
        stays.connection.closed();
        assertThat(hub.stats().streams().get("events").subscribers()).isZero();
    }

    @Test
    void concurrentPublishersOverTwoFanoutThreadsNeverReorderLoseOrDuplicate() throws Exception {
        PushedSource events = new PushedSource();
        int publishers = 4;
        int each = 2000;
        hub().register("events", events, StreamOptions.events().withQueueCapacity(publishers * each));
        hub.start();
        Fanout one = new ExecutorFanout(thread());
        Fanout two = new ExecutorFanout(thread());
        List<FakeSession> sessions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sessions.add(subscriber(hub, "events", i % 2 == 0 ? one : two));
        }
        StreamHubDeliveryTest.joinAll(StreamHubDeliveryTest.startPublishers(events, publishers, each));
        for (FakeSession s : sessions) {
            // the last seq may still be on its way through the executor: wait for it, then check all
            List<Long> got = new ArrayList<>();
            while (got.isEmpty() || got.get(got.size() - 1) < publishers * each) {
                got.addAll(seqs(s.nextUntil("events")));
            }
            assertThat(got).hasSize(publishers * each).isSorted().doesNotHaveDuplicates();
        }
    }

    /** Asserts {@code m} is a {@code delivery_late} resync notice for {@code stream} naming the gap {@code since .. firstSeq}. */
    private static void assertLateNotice(Map<String, Object> m, String stream, long since, long firstSeq) {
        assertThat(m).containsEntry("type", "resync").containsEntry("stream", stream)
                .containsEntry("reason", "delivery_late").containsEntry("since", since)
                .containsEntry("first_seq", firstSeq).containsEntry("epoch", "e");
    }

    @Test
    void aQueueStreamPushesBackThenShedsAndTellsTheSubscribersThatMissedWithOneResync() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withQueueCapacity(100));
        hub.start();
        HeldTasks loop = new HeldTasks();
        Fanout bounded = new ExecutorFanout(loop, 2, 4);
        FakeSession one = subscriber(hub, "events", bounded);
        FakeSession two = subscriber(hub, "events", bounded);
        List<PublishResult> results = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            results.add(events.publish(i));
        }
        assertThat(results).containsExactly(PublishResult.PUBLISHED, PublishResult.PUBLISHED,
                PublishResult.PUSHED_BACK, PublishResult.PUSHED_BACK, PublishResult.PUSHED_BACK);
        loop.runAll();
        for (FakeSession s : List.of(one, two)) {
            List<Map<String, Object>> got = s.drain();
            assertLateNotice(got.get(0), "events", 0, 2);
            assertThat(seqs(got.subList(1, got.size()))).as("message 1 was shed, the rest arrive").containsExactly(2L, 3L, 4L, 5L);
            assertThat(s.closeCode).isNull();
        }
        StreamStats stats = hub.stats().streams().get("events");
        assertThat(stats.shed()).isEqualTo(2);
        assertThat(stats.dropped()).isZero();
        assertThat(stats.subscribers()).isEqualTo(2);
        assertThat(hub.stats().slowConsumersDisconnected()).isZero();
    }

    @Test
    void aQueueMessageLaterThanTheMaxDeliveryLagIsSkippedAndToldWithOneResyncNotArrivingLate() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withMaxDeliveryLag(Duration.ofMillis(200)));
        hub.start();
        HeldTasks lateLoop = new HeldTasks();
        HeldTasks promptLoop = new HeldTasks();
        FakeSession late = subscriber(hub, "events", new ExecutorFanout(lateLoop));
        FakeSession prompt = subscriber(hub, "events", new ExecutorFanout(promptLoop));
        FakeSession inline = subscriber(hub, "events", null);

        events.publish(1);
        time.advance(Duration.ofMillis(200));
        lateLoop.runAll();
        assertThat(seqs(late.drain())).as("exactly the bound is in time").containsExactly(1L);

        events.publish(2);
        events.publish(3);
        promptLoop.runAll();
        time.advance(Duration.ofMillis(201));
        lateLoop.runAll();
        List<Map<String, Object>> told = late.drain();
        assertThat(told).as("3 was the newest: told at once, nothing more may come for a while").hasSize(1);
        assertLateNotice(told.get(0), "events", 1, 4);
        time.advance(Duration.ofSeconds(10));
        late.assertNothingSent();
        assertThat(late.closeCode).as("told, not closed").isNull();

        events.publish(4);
        events.publish(5);
        lateLoop.runAll();
        promptLoop.runAll();
        assertThat(seqs(late.drain())).as("fresh messages, in order, no second notice").containsExactly(4L, 5L);
        assertThat(seqs(prompt.drain())).as("a thread that keeps up: untouched").containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(seqs(inline.drain())).as("delivered on the publishing thread: never late").containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(late.closeCode).isNull();
        StreamStats stats = hub.stats().streams().get("events");
        assertThat(stats.shed()).as("seqs 2 and 3 reached the late subscriber late").isEqualTo(2);
        assertThat(stats.delivered()).isEqualTo(3 + 5 + 5);
        assertThat(stats.subscribers()).isEqualTo(3);
        assertThat(hub.stats().slowConsumersDisconnected()).isZero();
    }

    @Test
    void whatWaitsInALateSubscribersQueueIsSkippedTooAndItsNoticeWaitsUntilItIsWritable() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withMaxDeliveryLag(Duration.ofMillis(100)));
        hub.start();
        HeldTasks loop = new HeldTasks();
        FakeSession s = subscriber(hub, "events", new ExecutorFanout(loop));
        events.publish(1);
        loop.runAll();
        assertThat(seqs(s.drain())).containsExactly(1L);

        s.setWritable(false);
        events.publish(2);
        loop.runAll(); // in time, but the connection takes nothing: queued
        events.publish(3);
        time.advance(Duration.ofMillis(101));
        loop.runAll(); // late: 3 is skipped, and 2, older still, with it
        events.publish(4);
        loop.runAll();
        events.publish(5);
        time.advance(Duration.ofMillis(101));
        loop.runAll(); // late again before the first notice went out: still one notice, from seq 1
        events.publish(6);
        events.publish(7);
        loop.runAll();
        s.assertNothingSent();

        s.setWritable(true);
        List<Map<String, Object>> got = s.drain();
        assertLateNotice(got.get(0), "events", 1, 6);
        assertThat(seqs(got.subList(1, got.size()))).containsExactly(6L, 7L);
        assertThat(s.closeCode).isNull();
        assertThat(hub.stats().streams().get("events").shed()).as("seqs 2 to 5").isEqualTo(4);
    }

    @Test
    void aResumeReplayCutShortByLatenessIsToldFromWhereTheReplayBegan() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withMaxDeliveryLag(Duration.ofMillis(100)).withHistoryCapacity(100));
        hub.start();
        for (int i = 1; i <= 5; i++) {
            events.publish(i);
        }
        HeldTasks loop = new HeldTasks();
        FakeSession s = FakeSession.open(hub, new ExecutorFanout(loop));
        assertThat(s.next()).containsEntry("type", "welcome");
        s.setWritable(false);
        s.resume("events", 2, "e"); // replay of 3..5 queued behind the connection
        events.publish(6);
        time.advance(Duration.ofMillis(101));
        loop.runAll();
        events.publish(7);
        loop.runAll();
        s.setWritable(true);
        List<Map<String, Object>> got = s.drain();
        assertThat(got.get(0)).containsEntry("type", "subscribed");
        assertLateNotice(got.get(1), "events", 2, 7);
        assertThat(seqs(got.subList(2, got.size()))).containsExactly(7L);
    }

    @Test
    void lateSubscribersAreNeverClosedForItEachIsToldOnce() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withMaxDeliveryLag(Duration.ofMillis(100)));
        hub.start();
        HeldTasks loop = new HeldTasks();
        Fanout fanout = new ExecutorFanout(loop);
        List<FakeSession> late = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            late.add(subscriber(hub, "events", fanout));
        }

        events.publish(1);
        events.publish(2);
        events.publish(3);
        time.advance(Duration.ofMillis(101));
        loop.runAll(); // all three late: one notice each, sent when the newest is skipped
        time.advance(Duration.ofSeconds(10)); // the old behaviour closed them on the hub's timer
        assertThat(late).allSatisfy(s -> assertThat(s.closeCode).isNull());

        events.publish(4);
        loop.runAll();
        Set<OutboundMessage> notices = Collections.newSetFromMap(new IdentityHashMap<>());
        for (FakeSession s : late) {
            OutboundMessage notice = s.nextRaw();
            notices.add(notice);
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = (Map<String, Object>) Json.parse(notice.text());
            assertLateNotice(parsed, "events", 0, 4);
            assertThat(seqs(s.drain())).containsExactly(4L);
        }
        assertThat(notices).as("one notice shared by the subscribers that skipped the same messages").hasSize(1);
        assertThat(hub.stats().streams().get("events").shed()).isEqualTo(3 * 65);
        assertThat(hub.stats().streams().get("events").subscribers()).isEqualTo(65);
        assertThat(hub.stats().slowConsumersDisconnected()).isZero();
    }

    @Test
    void aLatestStreamIsNeverClosedForLagItsThreadGetsTheNewestValue() {
        PushedSource prices = new PushedSource();
        hub().register("prices", prices, StreamOptions.state().withMaxDeliveryLag(Duration.ofMillis(1)));
        hub.start();
        HeldTasks loop = new HeldTasks();
        FakeSession s = subscriber(hub, "prices", new ExecutorFanout(loop));
        s.drain(); // the snapshot, if any

        prices.publish(1);
        time.advance(Duration.ofSeconds(10));
        loop.runAll();

        assertThat(seqs(s.drain())).containsExactly(1L);
        assertThat(s.closeCode).isNull();
        assertThat(hub.stats().streams().get("prices").shed()).isZero();
    }

    @Test
    void aMaxDeliveryLagMustBePositive() {
        assertThatThrownBy(() -> StreamOptions.events().withMaxDeliveryLag(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StreamOptions.events().maxDeliveryLag()).isEqualTo(StreamOptions.DEFAULT_MAX_DELIVERY_LAG);
    }
}
