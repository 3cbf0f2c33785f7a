package io.blockbuster.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fan-out, snapshots, conflation, bounded queues, history and resume, over fake sessions. */
class StreamHubDeliveryTest {
    private final ManualScheduler time = new ManualScheduler();
    private StreamHub hub;

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.close();
        }
    }

    private StreamHub hub(String epoch) {
        hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).epoch(epoch)
                .limits(new HubLimits(4096, 8, 1000, 16)).build();
        return hub;
    }

    private static FakeSession subscriber(StreamHub hub, String stream) {
        FakeSession s = FakeSession.welcomed(hub);
        s.request("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\"}");
        assertThat(s.next()).containsEntry("type", "subscribed");
        return s;
    }

    static List<Long> seqs(List<Map<String, Object>> messages) {
        List<Long> seqs = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            seqs.add((Long) m.get("seq"));
        }
        return seqs;
    }

    /** Starts {@code threads} threads that each publish {@code each} values, all released at once. */
    static List<Thread> startPublishers(PushedSource source, int threads, int each) {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    source.publish(i);
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        return workers;
    }

    static void joinAll(List<Thread> workers) throws InterruptedException {
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(w.isAlive()).as("publisher finished").isFalse();
        }
    }

    @Test
    void dataMessageHasTheDocumentedShape() {
        PushedSource alerts = new PushedSource();
        hub("e").register("alerts", alerts);
        hub.start();
        FakeSession s = subscriber(hub, "alerts");
        time.advance(Duration.ofMillis(1500));
        alerts.publish(Map.of("level", "warn"));
        assertThat(s.nextRaw().text())
                .isEqualTo("{\"type\":\"alerts\",\"data\":{\"level\":\"warn\"},\"timestamp\":1764000001.500,\"seq\":1,"
                        + "\"epoch\":\"e\"}");
    }

    @Test
    void eachValueIsEncodedOnceAndTheSameBytesGoToEverySubscriber() {
        PushedSource alerts = new PushedSource();
        hub("e").register("alerts", alerts);
        hub.start();
        FakeSession a = subscriber(hub, "alerts");
        FakeSession b = subscriber(hub, "alerts");
        alerts.publish("x");
        OutboundMessage ma = a.nextRaw();
        OutboundMessage mb = b.nextRaw();
        assertThat(ma).isSameAs(mb);
        AtomicInteger framed = new AtomicInteger();
        assertThat(ma.prepared(String.class, m -> "frame" + framed.incrementAndGet())).isEqualTo("frame1");
        assertThat(mb.prepared(String.class, m -> "frame" + framed.incrementAndGet())).isEqualTo("frame1");
        assertThat(framed).hasValue(1);
    }

    @Test
    void polledStateWithSendUnchangedKeepsASteadyCadenceOfEqualValues() {
        hub("e").register("network_metrics", PolledSource.every(Duration.ofSeconds(2), () -> Map.of("tps", 1)),
                StreamOptions.state().withSendUnchanged(true));
        hub.start();
        FakeSession a = subscriber(hub, "network_metrics");
        time.runDue();
        assertThat(a.next()).containsEntry("data", Map.of("tps", 1L)).containsEntry("seq", 1L);
        for (long seq = 2; seq <= 4; seq++) {
            time.advance(Duration.ofSeconds(2));
            assertThat(a.next()).as("the same value, every interval").containsEntry("data", Map.of("tps", 1L))
                    .containsEntry("seq", seq);
            a.assertNothingSent();
        }
    }

    @Test
    void polledStatePollsOncePerIntervalForAllSubscribersAndSkipsEqualValues() {
        AtomicInteger polls = new AtomicInteger();
        AtomicReference<Object> current = new AtomicReference<>(Map.of("tps", 1));
        hub("e").register("network_metrics", PolledSource.every(Duration.ofSeconds(2), () -> {
            polls.incrementAndGet();
            return current.get();
        }));
        hub.start();
        time.runDue();
        assertThat(polls).as("no poll without subscribers").hasValue(0);

        FakeSession a = subscriber(hub, "network_metrics");
        time.runDue(); // zero delay: the poll is scheduled, not run on the subscriber's thread
        assertThat(polls).as("first subscriber triggers a poll at once").hasValue(1);
        assertThat(a.next()).containsEntry("type", "network_metrics").containsEntry("data", Map.of("tps", 1L)).containsEntry("seq", 1L);
        FakeSession b = subscriber(hub, "network_metrics");
        assertThat(b.next()).as("snapshot on subscribe").containsEntry("data", Map.of("tps", 1L)).containsEntry("seq", 1L);
        FakeSession c = subscriber(hub, "network_metrics");
        c.next();

        time.advance(Duration.ofSeconds(2));
        assertThat(polls).hasValue(2);
        a.assertNothingSent(); // equal value: not sent again
        current.set(Map.of("tps", 2));
        time.advance(Duration.ofSeconds(2));
        assertThat(polls).hasValue(3);
        for (FakeSession s : List.of(a, b, c)) {
            assertThat(s.next()).containsEntry("data", Map.of("tps", 2L)).containsEntry("seq", 2L);
            s.assertNothingSent();
        }
        for (FakeSession s : List.of(a, b, c)) {
            s.connection.closed();
        }
        time.advance(Duration.ofSeconds(10));
        assertThat(polls).as("no polls once idle again").hasValue(3);
        assertThat(hub.stats().streams().get("network_metrics").subscribers()).isZero();
    }

    @Test
    void latestPolicyConflatesForASlowSubscriberWhileFastOnesGetEverything() {
        PushedSource state = new PushedSource();
        hub("e").register("state", state, StreamOptions.state());
        hub.start();
        FakeSession fast = subscriber(hub, "state");
        FakeSession slow = subscriber(hub, "state");
        slow.setWritable(false);
        for (int i = 1; i <= 100; i++) {
            state.publish(i);
        }
        assertThat(seqs(fast.drain())).hasSize(100).first().isEqualTo(1L);
        slow.assertNothingSent();
        slow.setWritable(true);
        List<Map<String, Object>> got = slow.drain();
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).containsEntry("data", 100L).containsEntry("seq", 100L);
        assertThat(slow.closeCode).isNull();
        StreamStats stats = hub.stats().streams().get("state");
        assertThat(stats.published()).isEqualTo(100);
        assertThat(stats.delivered()).isEqualTo(101);
        assertThat(stats.conflated()).isEqualTo(99);
        assertThat(stats.dropped()).isZero();
    }

    @Test
    void queueOverflowDisconnectsOnlyTheSlowSubscriberWhichThenResumesWithNothingLostOrDuplicated() {
        PushedSource receipts = new PushedSource();
        hub("e").register("receipts", receipts, StreamOptions.events().withQueueCapacity(10).withHistoryCapacity(100));
        hub.start();
        FakeSession fast = subscriber(hub, "receipts");
        FakeSession slow = subscriber(hub, "receipts");
        receipts.publish(1);
        receipts.publish(2);
        assertThat(seqs(slow.drain())).containsExactly(1L, 2L);
        slow.setWritable(false);
        for (int i = 3; i <= 13; i++) { // 11 messages > capacity 10
            receipts.publish(i);
        }
        assertThat(slow.closeCode).isEqualTo(StreamCloseCodes.SLOW_CONSUMER);
        assertThat(slow.closeReason).contains("receipts");
        assertThat(StreamCloseCodes.shouldReconnect(slow.closeCode)).isTrue();
        assertThat(seqs(fast.drain())).hasSize(13);
        assertThat(fast.closeCode).isNull();
        assertThat(hub.stats().slowConsumersDisconnected()).isEqualTo(1);
        assertThat(hub.stats().streams().get("receipts").subscribers()).isEqualTo(1);
        receipts.publish(14);

        FakeSession resumed = FakeSession.welcomed(hub);
        resumed.resume("receipts", 2, "e");
        assertThat(resumed.next()).containsEntry("type", "subscribed");
        receipts.publish(15);
        List<Map<String, Object>> got = resumed.drain();
        assertThat(seqs(got)).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
        assertThat(got.get(0)).containsEntry("data", 3L);
    }

    @Test
    void resumeReplayLargerThanTheQueueIsNotAnOverflow() {
        PushedSource receipts = new PushedSource();
        hub("e").register("receipts", receipts, StreamOptions.events().withQueueCapacity(2).withHistoryCapacity(50));
        hub.start();
        for (int i = 1; i <= 20; i++) {
            receipts.publish(i);
        }
        FakeSession s = FakeSession.welcomed(hub);
        s.setWritable(false);
        s.resume("receipts", 0, null);
        receipts.publish(21);
        receipts.publish(22);
        assertThat(s.closeCode).isNull();
        s.setWritable(true);
        assertThat(s.next()).containsEntry("type", "subscribed");
        assertThat(seqs(s.drain())).hasSize(22).startsWith(1L).endsWith(22L).doesNotHaveDuplicates();
    }

    @Test
    void resumeBeyondHistoryGetsAnExplicitNoticeThenWhatIsLeft() {
        PushedSource receipts = new PushedSource();
        hub("e").register("receipts", receipts, StreamOptions.events().withHistoryCapacity(5));
        hub.start();
        for (int i = 1; i <= 12; i++) {
            receipts.publish(i);
        }
        FakeSession s = FakeSession.welcomed(hub);
        s.resume("receipts", 3, "e");
        assertThat(s.next()).containsEntry("type", "subscribed");
        assertThat(s.next()).containsEntry("type", "resync").containsEntry("stream", "receipts")
                .containsEntry("reason", "history_truncated").containsEntry("since", 3L).containsEntry("first_seq", 8L)
                .containsEntry("epoch", "e");
        assertThat(seqs(s.drain())).containsExactly(8L, 9L, 10L, 11L, 12L);
    }

    @Test
    void resumeFromAnotherEpochReplaysAllHistoryAfterANotice() {
        PushedSource receipts = new PushedSource();
        hub("new-epoch").register("receipts", receipts);
        hub.start();
        receipts.publish("a");
        receipts.publish("b");
        FakeSession s = FakeSession.welcomed(hub);
        s.resume("receipts", 40, "old-epoch");
        s.next();
        assertThat(s.next()).containsEntry("type", "resync").containsEntry("reason", "epoch_changed").containsEntry("first_seq", 1L);
        assertThat(seqs(s.drain())).containsExactly(1L, 2L);
    }

    @Test
    void resumeUpToDateReplaysNothingAndSendsNoNotice() {
        PushedSource receipts = new PushedSource();
        hub("e").register("receipts", receipts);
        hub.start();
        receipts.publish("a");
        FakeSession s = FakeSession.welcomed(hub);
        s.resume("receipts", 1, "e");
        assertThat(s.next()).containsEntry("type", "subscribed");
        s.assertNothingSent();
        receipts.publish("b");
        assertThat(s.next()).containsEntry("seq", 2L);
    }

    @Test
    void everyDataMessageCarriesTheEpochWhetherLiveSnapshotOrReplay() {
        PushedSource receipts = new PushedSource();
        PushedSource state = new PushedSource();
        hub("run \"7\"").register("receipts", receipts);
        hub.register("state", state, StreamOptions.state());
        hub.start();
        receipts.publish(1);
        state.publish(1);
        FakeSession s = FakeSession.welcomed(hub);
        s.resume("receipts", 0, null);
        s.request("{\"type\":\"subscribe\",\"stream\":\"state\"}");
        receipts.publish(2);
        state.publish(2);
        List<Map<String, Object>> data = new ArrayList<>();
        for (Map<String, Object> m : s.drain()) {
            if (m.containsKey("data")) {
                data.add(m);
            }
        }
        assertThat(data).hasSize(4).allSatisfy(m -> assertThat(m).containsEntry("epoch", "run \"7\""));
    }

    @Test
    void resumeAheadOfTheServerReplaysAllHistoryAfterANotice() {
        PushedSource receipts = new PushedSource();
        hub("e").register("receipts", receipts);
        hub.start();
        for (int i = 1; i <= 3; i++) {
            receipts.publish(i);
        }
        FakeSession s = FakeSession.welcomed(hub);
        s.resume("receipts", 10, "e");
        assertThat(s.next()).containsEntry("type", "subscribed").containsEntry("seq", 3L);
        assertThat(s.next()).containsEntry("type", "resync").containsEntry("reason", "ahead_of_server")
                .containsEntry("since", 10L).containsEntry("first_seq", 1L);
        assertThat(seqs(s.drain())).containsExactly(1L, 2L, 3L);
    }

    @Test
    void resumeOnAnEmptyStreamIsUpToDateAtZeroAndAheadAtOne() {
        PushedSource receipts = new PushedSource();
        hub("e").register("receipts", receipts);
        hub.start();
        FakeSession zero = FakeSession.welcomed(hub);
        zero.resume("receipts", 0, "e");
        assertThat(zero.next()).containsEntry("type", "subscribed").containsEntry("seq", 0L);
        zero.assertNothingSent();
        FakeSession one = FakeSession.welcomed(hub);
        one.resume("receipts", 1, "e");
        one.next();
        assertThat(one.next()).containsEntry("type", "resync").containsEntry("reason", "ahead_of_server")
                .containsEntry("first_seq", 1L);
        one.assertNothingSent();
    }

    @Test
    void historyExactlyFullStillReplaysFromTheFirstSeqWithoutANotice() {
        PushedSource receipts = new PushedSource();
        hub("e").register("receipts", receipts, StreamOptions.events().withHistoryCapacity(5));
        hub.start();
        for (int i = 1; i <= 5; i++) {
            receipts.publish(i);
        }
        FakeSession full = FakeSession.welcomed(hub);
        full.resume("receipts", 0, "e");
        full.next();
        assertThat(seqs(full.drain())).as("no resync: seq 1 is still kept").containsExactly(1L, 2L, 3L, 4L, 5L);

        receipts.publish(6); // one more: seq 1 falls out
        full.drain();
        FakeSession fromZero = FakeSession.welcomed(hub);
        fromZero.resume("receipts", 0, "e");
        fromZero.next();
        assertThat(fromZero.next()).containsEntry("type", "resync").containsEntry("reason", "history_truncated")
                .containsEntry("first_seq", 2L);
        assertThat(seqs(fromZero.drain())).containsExactly(2L, 3L, 4L, 5L, 6L);
        FakeSession fromOne = FakeSession.welcomed(hub);
        fromOne.resume("receipts", 1, "e");
        fromOne.next();
        assertThat(seqs(fromOne.drain())).as("nothing lost: seq 2 onwards is kept").containsExactly(2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void eventStreamWithoutSinceStartsLive() {
        PushedSource receipts = new PushedSource();
        hub("e").register("receipts", receipts);
        hub.start();
        receipts.publish("old");
        FakeSession s = subscriber(hub, "receipts");
        s.assertNothingSent();
        receipts.publish("new");
        assertThat(s.next()).containsEntry("data", "new").containsEntry("seq", 2L);
    }

    @Test
    void unsubscribedStreamDeliversNothingMore() {
        PushedSource receipts = new PushedSource();
        hub("e").register("receipts", receipts);
        hub.start();
        FakeSession s = subscriber(hub, "receipts");
        s.setWritable(false);
        receipts.publish(1);
        s.request("{\"type\":\"unsubscribe\",\"stream\":\"receipts\"}");
        receipts.publish(2);
        s.setWritable(true);
        assertThat(s.next()).containsEntry("type", "unsubscribed");
        s.assertNothingSent();
    }

    @Test
    void repliesAreBoundedForAClientThatDoesNotRead() {
        hub("e").start();
        FakeSession s = FakeSession.open(hub);
        s.setWritable(false);
        for (int i = 0; i < 17 && s.closeCode == null; i++) {
            s.request("{\"type\":\"ping\"}");
        }
        assertThat(s.closeCode).isEqualTo(StreamCloseCodes.SLOW_CONSUMER);
    }

    @Test
    void aThrowingSessionIsClosedWithHubErrorAndOthersStillGetData() {
        PushedSource alerts = new PushedSource();
        hub("e").register("alerts", alerts);
        hub.start();
        FakeSession good = subscriber(hub, "alerts");
        AtomicInteger closes = new AtomicInteger();
        StreamSession broken = new StreamSession() {
            @Override
            public HandshakeInfo handshake() {
                return HandshakeInfo.of("/", Map.of(), null);
            }

            @Override
            public void send(OutboundMessage message) {
                throw new IllegalStateException("socket gone");
            }

            @Override
            public boolean isWritable() {
                return true;
            }

            @Override
            public void close(int code, String reason) {
                assertThat(code).isEqualTo(StreamCloseCodes.HUB_ERROR);
                closes.incrementAndGet();
            }

            @Override
            public Map<String, Object> attributes() {
                return Map.of();
            }
        };
        hub.open(broken);
        assertThat(closes).hasValue(1);
        alerts.publish("x");
        assertThat(good.next()).containsEntry("data", "x");
    }

    @Test
    void closingTheHubClosesConnectionsWithShuttingDownAndRefusesNewOnes() {
        PushedSource alerts = new PushedSource();
        hub("e").register("alerts", alerts);
        hub.start();
        FakeSession s = subscriber(hub, "alerts");
        hub.close();
        assertThat(s.closeCode).isEqualTo(StreamCloseCodes.SHUTTING_DOWN);
        assertThat(alerts.publish("late")).isEqualTo(PublishResult.HUB_CLOSED);
        FakeSession late = FakeSession.open(hub);
        assertThat(late.closeCode).isEqualTo(StreamCloseCodes.SHUTTING_DOWN);
        assertThat(hub.stats().connections()).isZero();
    }

    @Test
    void concurrentPublishersNeverReorderOrDuplicateSeqs() throws Exception {
        PushedSource events = new PushedSource();
        hub("e").register("events", events, StreamOptions.events().withQueueCapacity(100_000));
        hub.start();
        FakeSession s = subscriber(hub, "events");
        int threads = 4;
        int each = 2000;
        List<Thread> workers = startPublishers(events, threads, each);
        joinAll(workers);
        List<Long> seqs = seqs(s.drain());
        assertThat(seqs).hasSize(threads * each).isSorted().doesNotHaveDuplicates();
        assertThat(seqs.get(seqs.size() - 1)).isEqualTo(threads * each);
    }

    @Test
    void subscribeAndUnsubscribeRacingWithPublishersLoseAndRepeatNothing() throws Exception {
        int threads = 2;
        int each = 3000;
        int total = threads * each;
        PushedSource events = new PushedSource();
        hub("e").register("events", events, StreamOptions.events().withQueueCapacity(total).withHistoryCapacity(total));
        hub.start();
        FakeSession s = FakeSession.welcomed(hub);
        List<Thread> workers = startPublishers(events, threads, each);
        List<Long> seen = new ArrayList<>();
        // Each round resumes from the last seq seen, unsubscribes while publishers run, and reads up to
        // the "unsubscribed": every seq must arrive exactly once, in order, and nothing after it.
        for (int round = 0; round < 300; round++) {
            long last = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
            s.resume("events", last, "e");
            s.request("{\"type\":\"unsubscribe\",\"stream\":\"events\"}");
            List<Map<String, Object>> window = s.nextUntil("unsubscribed");
            assertThat(window.get(0)).containsEntry("type", "subscribed");
            for (Map<String, Object> m : window.subList(1, window.size() - 1)) {
                assertThat(m).containsEntry("type", "events");
                seen.add((Long) m.get("seq"));
            }
        }
        joinAll(workers); // then one last resume collects whatever the rounds did not
        long last = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
        s.resume("events", last, "e");
        assertThat(s.next()).containsEntry("type", "subscribed");
        seen.addAll(seqs(s.drain()));
        assertThat(seen).hasSize(total).isSorted().doesNotHaveDuplicates();
        assertThat(seen.get(seen.size() - 1)).isEqualTo(total);
        assertThat(s.closeCode).isNull();
    }

    @Test
    void statsAreReadableAsJson() {
        PushedSource alerts = new PushedSource();
        hub("e").register("alerts", alerts);
        hub.start();
        FakeSession s = subscriber(hub, "alerts");
        alerts.publish(1);
        s.drain();
        String json = hub.stats().toJson();
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) io.blockbuster.stream.json.Json.parse(json);
        assertThat(parsed).containsEntry("connections", 1L).containsEntry("connectionsOpened", 1L);
        @SuppressWarnings("unchecked")
        Map<String, Object> alertsStats = (Map<String, Object>) ((Map<String, Object>) parsed.get("streams")).get("alerts");
        assertThat(alertsStats).containsEntry("subscribers", 1L).containsEntry("published", 1L)
                .containsEntry("delivered", 1L).containsEntry("dropped", 0L).containsEntry("policy", "QUEUE");
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) alertsStats.get("source");
        assertThat(source).containsEntry("health", "HEALTHY").containsEntry("lastSuccessAt", "2025-11-24T16:00:00Z");
    }
}
