package io.blockbuster.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * The hub's Flight Recorder events, recorded with a {@link RecordingStream}: subscribe,
 * unsubscribe, a subscriber that stops reading, and polls that succeed and fail. (That they cost
 * nothing while no recording enables them: {@code internal.HubEventsAllocationTest}.)
 */
class HubFlightRecorderEventsTest {
    private static final String PREFIX = "io.blockbuster.stream.";

    @Test
    void subscriptionsSlowConsumersAndPollsAreRecorded() throws Exception {
        BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        StreamHub hub = StreamHub.builder().epoch("e").build();
        try (RecordingStream recording = new RecordingStream()) {
            for (String name : new String[] {"Subscribed", "Unsubscribed", "SlowConsumerDisconnected", "SourcePoll"}) {
                recording.enable(PREFIX + name);
                recording.onEvent(PREFIX + name, events::add);
            }
            recording.startAsync();
            PushedSource receipts = new PushedSource();
            hub.register("receipts", receipts, StreamOptions.events().withQueueCapacity(2).withHistoryCapacity(100));
            hub.register("flaky", PolledSource.every(Duration.ofMillis(50), () -> {
                throw new IOException("node down");
            }), StreamOptions.state().withPollWhileIdle(true));
            hub.register("fine", PolledSource.every(Duration.ofMillis(50), () -> 1), StreamOptions.state().withPollWhileIdle(true));
            hub.start();

            FakeSession s = FakeSession.welcomed(hub);
            s.request("{\"type\":\"subscribe\",\"stream\":\"receipts\"}");
            RecordedEvent subscribed = next(events, e -> is(e, "Subscribed"));
            assertThat(subscribed.getString("stream")).isEqualTo("receipts");
            assertThat(subscribed.getString("policy")).isEqualTo("QUEUE");
            assertThat(subscribed.getBoolean("resumed")).isFalse();
            s.request("{\"type\":\"unsubscribe\",\"stream\":\"receipts\"}");
            assertThat(next(events, e -> is(e, "Unsubscribed")).getString("stream")).isEqualTo("receipts");

            s.resume("receipts", 0, "e");
            assertThat(next(events, e -> is(e, "Subscribed")).getBoolean("resumed")).isTrue();
            s.setWritable(false);
            for (int i = 0; i < 5; i++) { // more than the queue's 2
                receipts.publish(i);
            }
            assertThat(s.closeCode).isEqualTo(StreamCloseCodes.SLOW_CONSUMER);
            assertThat(next(events, e -> is(e, "SlowConsumerDisconnected")).getString("backlog")).isEqualTo("receipts");

            RecordedEvent failed = next(events, e -> is(e, "SourcePoll") && "flaky".equals(e.getString("stream")));
            assertThat(failed.getString("outcome")).isEqualTo("failed");
            assertThat(failed.getString("error")).contains("IOException", "node down");
            RecordedEvent ok = next(events, e -> is(e, "SourcePoll") && "fine".equals(e.getString("stream")));
            assertThat(ok.getString("outcome")).isEqualTo("ok");
            assertThat(ok.getString("error")).isNull();
            assertThat(ok.getDuration().isNegative()).as("poll duration").isFalse();
        } finally {
            hub.close();
        }
    }

    private static boolean is(RecordedEvent e, String name) {
        return e.getEventType().getName().equals(PREFIX + name);
    }

    /** The next event {@code wanted} accepts (others are skipped); fails after a generous wait. */
    private static RecordedEvent next(BlockingQueue<RecordedEvent> events, Predicate<RecordedEvent> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            RecordedEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("an expected Flight Recorder event within 60 s").isNotNull();
            if (wanted.test(e)) {
                return e;
            }
        }
    }
}
