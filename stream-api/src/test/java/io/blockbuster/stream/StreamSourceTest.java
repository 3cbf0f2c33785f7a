package io.blockbuster.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Source lifecycle, failure isolation, time-outs, backoff, status and incremental dedup. */
class StreamSourceTest {
    private final ManualScheduler time = new ManualScheduler();
    private StreamHub hub;

    /** Runs polls only when the test says so: a poll that is never run is a hung source. */
    static final class HeldExecutor implements Executor {
        final ArrayDeque<Runnable> held = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable command) {
            held.add(command);
        }

        synchronized Runnable take() {
            return held.poll();
        }
    }

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.close();
        }
    }

    private static FakeSession subscribe(StreamHub hub, String stream) {
        FakeSession s = FakeSession.open(hub);
        s.next();
        s.request("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\"}");
        assertThat(s.next()).containsEntry("type", "subscribed");
        return s;
    }

    @Test
    void failingSourceBacksOffExponentiallyReportsStatusAndLeavesOthersHealthy() {
        AtomicInteger badPolls = new AtomicInteger();
        AtomicReference<Boolean> broken = new AtomicReference<>(true);
        AtomicInteger goodPolls = new AtomicInteger();
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).build();
        StreamOptions options = StreamOptions.events().withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
        hub.register("bad", PolledSource.every(Duration.ofMillis(500), () -> {
            badPolls.incrementAndGet();
            if (broken.get()) {
                throw new IOException("node unreachable");
            }
            return "ok";
        }), options);
        hub.register("good", PolledSource.every(Duration.ofMillis(500), goodPolls::incrementAndGet), options);
        assertThat(hub.sourceStatus("bad").health()).isEqualTo(SourceStatus.Health.STOPPED);
        hub.start();
        FakeSession good = subscribe(hub, "good");

        time.runDue();
        assertThat(badPolls).hasValue(1);
        SourceStatus status = hub.sourceStatus("bad");
        assertThat(status.health()).isEqualTo(SourceStatus.Health.FAILING);
        assertThat(status.lastError()).isEqualTo("IOException: node unreachable");
        assertThat(status.consecutiveFailures()).isEqualTo(1);
        assertThat(status.lastErrorAt()).isEqualTo(Instant.ofEpochMilli(1_764_000_000_000L));
        assertThat(status.lastSuccessAt()).isNull();

        // Retries at +1 s, +2 s, +4 s, +4 s (capped), while the good source polls every 500 ms.
        List<Integer> pollsAt = new ArrayList<>();
        for (int ms = 100; ms <= 11_000; ms += 100) {
            int before = badPolls.get();
            time.advance(Duration.ofMillis(100));
            if (badPolls.get() > before) {
                pollsAt.add(ms);
            }
        }
        assertThat(pollsAt).containsExactly(1000, 3000, 7000, 11000);
        assertThat(hub.sourceStatus("bad").consecutiveFailures()).isEqualTo(5);
        assertThat(goodPolls.get()).isGreaterThanOrEqualTo(22);
        assertThat(hub.sourceStatus("good").health()).isEqualTo(SourceStatus.Health.HEALTHY);
        assertThat(good.drain()).hasSize(goodPolls.get());

        broken.set(false);
        time.advance(Duration.ofSeconds(4));
        status = hub.sourceStatus("bad");
        assertThat(status.health()).isEqualTo(SourceStatus.Health.HEALTHY);
        assertThat(status.consecutiveFailures()).isZero();
        assertThat(status.lastError()).isEqualTo("IOException: node unreachable"); // kept for the host to see
        assertThat(status.lastSuccessAt()).isNotNull();
        assertThat(hub.stats().streams().get("bad").source().health()).isEqualTo(SourceStatus.Health.HEALTHY);
    }

    @Test
    void hungSourceTimesOutWithoutPilingUpPollsAndItsLateResultIsDiscarded() {
        HeldExecutor executor = new HeldExecutor();
        AtomicInteger polls = new AtomicInteger();
        hub = StreamHub.builder().scheduler(time).sourceExecutor(executor).build();
        hub.register("slow", PolledSource.every(Duration.ofSeconds(1), () -> "value" + polls.incrementAndGet()),
                StreamOptions.state().withPollTimeout(Duration.ofSeconds(5)).withPollWhileIdle(true)
                        .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        hub.start();
        FakeSession s = subscribe(hub, "slow");
        time.runDue();
        Runnable hung = executor.take();
        assertThat(hung).isNotNull();
        time.advance(Duration.ofSeconds(5));
        assertThat(hub.sourceStatus("slow").health()).isEqualTo(SourceStatus.Health.FAILING);
        assertThat(hub.sourceStatus("slow").lastError()).isEqualTo("poll timed out after PT5S");
        time.advance(Duration.ofSeconds(60));
        assertThat(executor.take()).as("no second poll while one hangs").isNull();

        hung.run(); // returns at last: counted already, result discarded
        s.assertNothingSent();
        time.advance(Duration.ofSeconds(1));
        executor.take().run();
        assertThat(s.next()).containsEntry("data", "value2");
        assertThat(hub.sourceStatus("slow").health()).isEqualTo(SourceStatus.Health.HEALTHY);
    }

    @Test
    void unserializableValueIsASourceFailureNotACrash() {
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).build();
        hub.register("weird", PolledSource.every(Duration.ofSeconds(1), Object::new), StreamOptions.state().withPollWhileIdle(true));
        hub.start();
        time.runDue();
        assertThat(hub.sourceStatus("weird").health()).isEqualTo(SourceStatus.Health.FAILING);
        assertThat(hub.sourceStatus("weird").lastError()).startsWith("IllegalArgumentException: cannot write java.lang.Object");
    }

    @Test
    void incrementalSourcePublishesOnlyNewItemsByKey() {
        record Receipt(String hash, int block) {
        }
        ArrayDeque<List<Receipt>> batches = new ArrayDeque<>(List.of(
                List.of(new Receipt("a", 1), new Receipt("b", 1)),
                List.of(new Receipt("b", 1), new Receipt("c", 2)), // overlapping window
                List.of(),
                List.of(new Receipt("c", 2), new Receipt("d", 3), new Receipt("a", 1))));
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).build();
        hub.register("receipts", IncrementalSource.every(Duration.ofSeconds(1),
                () -> batches.isEmpty() ? null : batches.poll(), Receipt::hash));
        hub.start();
        time.runDue(); // polls while idle: history stays complete
        FakeSession s = FakeSession.open(hub);
        s.next();
        s.request("{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":0}");
        s.next();
        time.advance(Duration.ofSeconds(5));
        List<Object> hashes = new ArrayList<>();
        List<Object> seqs = new ArrayList<>();
        for (Map<String, Object> m : s.drain()) {
            hashes.add(((Map<?, ?>) m.get("data")).get("hash"));
            seqs.add(m.get("seq"));
        }
        assertThat(hashes).containsExactly("a", "b", "c", "d");
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void sourcesStopWithTheHub() {
        AtomicInteger polls = new AtomicInteger();
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).build();
        hub.register("ticks", PolledSource.every(Duration.ofSeconds(1), polls::incrementAndGet),
                StreamOptions.state().withPollWhileIdle(true));
        time.advance(Duration.ofSeconds(3));
        assertThat(polls).as("nothing before start").hasValue(0);
        hub.start();
        time.advance(Duration.ofMillis(2500));
        assertThat(polls).hasValue(3);
        hub.close();
        time.advance(Duration.ofSeconds(10));
        assertThat(polls).hasValue(3);
        assertThat(hub.sourceStatus("ticks").health()).isEqualTo(SourceStatus.Health.STOPPED);
        assertThat(time.pending()).isZero();
    }

    @Test
    void pushedSourceReportsStatusAndMustBeRegistered() {
        PushedSource pushed = new PushedSource();
        assertThatThrownBy(() -> pushed.publish(1)).isInstanceOf(IllegalStateException.class);
        hub = StreamHub.builder().scheduler(time).build();
        hub.register("p", pushed);
        assertThatThrownBy(() -> hub.register("q", pushed)).isInstanceOf(IllegalStateException.class);
        hub.start();
        assertThat(hub.sourceStatus("p").health()).isEqualTo(SourceStatus.Health.STARTING);
        pushed.reportFailure(new IOException("upstream down"));
        assertThat(hub.sourceStatus("p").health()).isEqualTo(SourceStatus.Health.FAILING);
        pushed.publish(1);
        assertThat(hub.sourceStatus("p").health()).isEqualTo(SourceStatus.Health.HEALTHY);
    }

    @Test
    void streamNamesAreValidatedAndUnique() {
        hub = StreamHub.builder().scheduler(time).build();
        hub.register("network_metrics", new PushedSource());
        assertThatThrownBy(() -> hub.register("network_metrics", new PushedSource())).isInstanceOf(IllegalArgumentException.class);
        for (String bad : List.of("", "error", "welcome", "has space", "x".repeat(65), "quote\"")) {
            assertThatThrownBy(() -> hub.register(bad, new PushedSource())).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void streamRegisteredOnARunningHubStartsAtOnce() {
        AtomicInteger polls = new AtomicInteger();
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).build();
        hub.start();
        hub.register("late", PolledSource.every(Duration.ofSeconds(1), polls::incrementAndGet), StreamOptions.events());
        time.runDue();
        assertThat(polls).hasValue(1);
    }
}
