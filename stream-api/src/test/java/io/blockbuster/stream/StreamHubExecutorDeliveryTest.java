package io.blockbuster.stream;

import static io.blockbuster.stream.StreamHubDeliveryTest.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.internal.ExecutorDelivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery through the sessions' own executors ({@link StreamSession#executor()}): one task per
 * executor per publish, seq order kept, snapshots and replays neither lost nor repeated, overflow
 * still closes, and a refusing executor falls back to the publishing thread.
 */
class StreamHubExecutorDeliveryTest {
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

    private static FakeSession subscriber(StreamHub hub, String stream, Executor executor) {
        FakeSession s = FakeSession.open(hub, executor);
        assertThat(s.next()).containsEntry("type", "welcome");
        s.request("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\"}");
        assertThat(s.next()).containsEntry("type", "subscribed");
        return s;
    }

    @Test
    void sessionsSharingAnExecutorCostThePublisherOneTaskAndGetNothingBeforeItRuns() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events());
        hub.start();
        HeldTasks a = new HeldTasks();
        HeldTasks b = new HeldTasks();
        List<FakeSession> onA = List.of(subscriber(hub, "events", a), subscriber(hub, "events", a),
                subscriber(hub, "events", a));
        FakeSession onB = subscriber(hub, "events", b);
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
    void anExecutorThatLagsGetsOneTaskAtATimeThatSendsWhatGatheredInOrderAndYieldsBetween() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withQueueCapacity(2));
        hub.start();
        HeldTasks loop = new HeldTasks();
        FakeSession one = subscriber(hub, "events", loop);
        FakeSession two = subscriber(hub, "events", loop);
        int published = 2 * ExecutorDelivery.MAX_BATCHES_PER_RUN + 3;
        for (int i = 1; i <= published; i++) { // far more than the queue capacity: a subscriber that
            events.publish(i);                 // keeps up must not overflow while they gather
        }
        assertThat(loop.submitted).isEqualTo(1);
        loop.runOne();
        assertThat(seqs(one.drain())).as("one task delivers a bounded share, then yields")
                .hasSize(ExecutorDelivery.MAX_BATCHES_PER_RUN).first().isEqualTo(1L);
        assertThat(loop.submitted).as("and queues itself again behind the loop's other work").isEqualTo(2);
        loop.runAll();
        List<Long> rest = seqs(one.drain());
        assertThat(rest.get(0)).isEqualTo(ExecutorDelivery.MAX_BATCHES_PER_RUN + 1L);
        assertThat(rest.get(rest.size() - 1)).isEqualTo((long) published);
        assertThat(seqs(two.drain())).hasSize(published).isSorted();
        assertThat(one.closeCode).isNull();
        assertThat(loop.submitted).isEqualTo(3);
    }

    @Test
    void aSnapshotTakenWhileATaskIsPendingIsNeitherRepeatedNorOvertaken() {
        PushedSource state = new PushedSource();
        hub().register("state", state, StreamOptions.state());
        hub.start();
        HeldTasks loop = new HeldTasks();
        FakeSession early = subscriber(hub, "state", loop);
        state.publish("one"); // a task pending, for early only
        FakeSession late = FakeSession.open(hub, loop);
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
    void aResumeReplayPrecedesLiveMessagesHandedToTheExecutor() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withHistoryCapacity(100));
        hub.start();
        HeldTasks loop = new HeldTasks();
        for (int i = 1; i <= 5; i++) {
            events.publish(i);
        }
        FakeSession s = FakeSession.open(hub, loop);
        assertThat(s.next()).containsEntry("type", "welcome");
        s.resume("events", 2, "e");
        events.publish(6);
        loop.runAll();
        List<Map<String, Object>> got = s.drain();
        assertThat(got.get(0)).containsEntry("type", "subscribed");
        assertThat(seqs(got.subList(1, got.size()))).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void overflowOnTheExecutorClosesOnlyTheSlowSubscriber() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events().withQueueCapacity(10));
        hub.start();
        HeldTasks loop = new HeldTasks();
        FakeSession fast = subscriber(hub, "events", loop);
        FakeSession slow = subscriber(hub, "events", loop);
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
    void anExecutorThatRefusesTheTaskIsDeliveredToOnThePublishingThread() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events());
        hub.start();
        Executor refusing = task -> {
            throw new RejectedExecutionException("shutting down");
        };
        FakeSession s = subscriber(hub, "events", refusing);
        events.publish(1);
        assertThat(seqs(s.drain())).containsExactly(1L);
    }

    @Test
    void unsubscribingLeavesTheExecutorGroupAndEndsDelivery() {
        PushedSource events = new PushedSource();
        hub().register("events", events, StreamOptions.events());
        hub.start();
        HeldTasks loop = new HeldTasks();
        FakeSession stays = subscriber(hub, "events", loop);
        FakeSession leaves = subscriber(hub, "events", loop);
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
    void concurrentPublishersOverTwoExecutorThreadsNeverReorderLoseOrDuplicate() throws Exception {
        PushedSource events = new PushedSource();
        int publishers = 4;
        int each = 2000;
        hub().register("events", events, StreamOptions.events().withQueueCapacity(publishers * each));
        hub.start();
        Executor one = thread();
        Executor two = thread();
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
}
