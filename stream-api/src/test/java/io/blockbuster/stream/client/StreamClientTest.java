package io.blockbuster.stream.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.ExecutorFanout;
import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.ManualScheduler;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamAuthorizer;
import io.blockbuster.stream.StreamCloseCodes;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.protocol.ServerMessage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Java client against a real hub through an in-memory connector, on a manual clock. */
class StreamClientTest {
    private static final URI URI_ = URI.create("ws://test/ws");
    private final ManualScheduler time = new ManualScheduler();
    private final List<StreamClient.State> states = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<Integer> closes = new CopyOnWriteArrayList<>();
    private final List<StreamMessage> received = new CopyOnWriteArrayList<>();
    private final List<ServerMessage.Resync> resyncs = new CopyOnWriteArrayList<>();
    private StreamHub hub;
    private PushedSource receipts;
    private PushedSource metrics;
    private StreamClient client;

    private StreamHub newHub(String epoch) {
        StreamHub h = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run).epoch(epoch).build();
        receipts = new PushedSource();
        metrics = new PushedSource();
        h.register("receipts", receipts, StreamOptions.events().withQueueCapacity(5).withHistoryCapacity(100));
        h.register("network_metrics", metrics, StreamOptions.state());
        h.start();
        return h;
    }

    private StreamClient.Builder clientBuilder(LoopbackConnector connector) {
        return StreamClient.builder(URI_, connector).scheduler(time.forClient()).random(new Random(42))
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
                .listener(new StreamClient.Listener() {
                    @Override
                    public void onStateChange(StreamClient.State state) {
                        states.add(state);
                    }

                    @Override
                    public void onClose(int code, String reason) {
                        closes.add(code);
                    }

                    @Override
                    public void onError(String code, String message, String stream) {
                        errors.add(code + ":" + stream);
                    }
                })
                .subscribe("receipts", new StreamListener() {
                    @Override
                    public void onMessage(StreamMessage message) {
                        received.add(message);
                    }

                    @Override
                    public void onResync(ServerMessage.Resync notice) {
                        resyncs.add(notice);
                    }
                });
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private List<Object> receivedData() {
        List<Object> data = new ArrayList<>();
        for (StreamMessage m : received) {
            data.add(m.data());
        }
        return data;
    }

    @Test
    void connectsSubscribesAndDelivers() {
        hub = newHub("e1");
        LoopbackConnector connector = new LoopbackConnector(hub);
        client = clientBuilder(connector).build();
        assertThat(client.state()).isEqualTo(StreamClient.State.IDLE);
        client.start();
        assertThat(client.state()).isEqualTo(StreamClient.State.CONNECTED);
        assertThat(states).containsExactly(StreamClient.State.CONNECTING, StreamClient.State.CONNECTED);
        time.advance(Duration.ofMillis(250));
        receipts.publish(Map.of("tx", "a"));
        assertThat(received).containsExactly(new StreamMessage("receipts", Map.of("tx", "a"), 1, 1_764_000_000_250L));
        assertThat(client.lastSeq("receipts")).isEqualTo(1);
        assertThat(connector.sentByClients).containsExactly("{\"type\":\"subscribe\",\"stream\":\"receipts\"}");
    }

    @Test
    void subscribeLaterGetsTheStateSnapshotAndUnsubscribeStopsIt() {
        hub = newHub("e1");
        client = clientBuilder(new LoopbackConnector(hub)).build();
        client.start();
        metrics.publish(7);
        List<Object> got = new CopyOnWriteArrayList<>();
        client.subscribe("network_metrics", m -> got.add(m.data()));
        assertThat(got).containsExactly(7L);
        metrics.publish(8);
        client.unsubscribe("network_metrics");
        metrics.publish(9);
        assertThat(got).containsExactly(7L, 8L);
    }

    @Test
    void reconnectsAfterADropAndResumesWithNothingLostOrDuplicated() {
        hub = newHub("e1");
        LoopbackConnector connector = new LoopbackConnector(hub);
        client = clientBuilder(connector).build();
        client.start();
        receipts.publish(1);
        receipts.publish(2);
        connector.last().drop();
        assertThat(client.state()).isEqualTo(StreamClient.State.WAITING_TO_RECONNECT);
        receipts.publish(3); // missed while away
        receipts.publish(4);
        time.advance(Duration.ofSeconds(1)); // first retry within [0.5 s, 1 s]
        assertThat(client.state()).isEqualTo(StreamClient.State.CONNECTED);
        assertThat(connector.sentByClients.get(1))
                .isEqualTo("{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":2,\"epoch\":\"e1\"}");
        receipts.publish(5);
        assertThat(receivedData()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(received).extracting(StreamMessage::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(closes).containsExactly(1006);
    }

    @Test
    void dropBeforeTheFirstMessageStillResumesFromWhereTheSubscriptionStarted() {
        hub = newHub("e1");
        receipts.publish("before-subscribe");
        LoopbackConnector connector = new LoopbackConnector(hub);
        client = clientBuilder(connector).build();
        client.start();
        assertThat(client.lastSeq("receipts")).as("baseline from subscribed").isEqualTo(1);
        connector.last().drop();
        receipts.publish("while-away");
        time.advance(Duration.ofSeconds(1));
        assertThat(connector.sentByClients.get(1))
                .isEqualTo("{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":1,\"epoch\":\"e1\"}");
        receipts.publish("live");
        assertThat(receivedData()).containsExactly("while-away", "live");
    }

    @Test
    void stateStreamAfterAReconnectDeliversOnlyANewerSnapshot() {
        hub = newHub("e1");
        LoopbackConnector connector = new LoopbackConnector(hub);
        List<Object> got = new CopyOnWriteArrayList<>();
        client = clientBuilder(connector).subscribe("network_metrics", m -> got.add(m.data())).build();
        metrics.publish(1);
        client.start();
        connector.last().drop();
        time.advance(Duration.ofSeconds(1));
        assertThat(got).as("the unchanged snapshot is not delivered twice").containsExactly(1L);
        connector.last().drop();
        metrics.publish(2);
        time.advance(Duration.ofSeconds(1));
        assertThat(got).containsExactly(1L, 2L);
    }

    @Test
    void slowConsumerDisconnectIsResumedToo() {
        hub = newHub("e1");
        LoopbackConnector connector = new LoopbackConnector(hub);
        client = clientBuilder(connector).build();
        client.start();
        receipts.publish(0);
        connector.last().writable = false;
        for (int i = 1; i <= 6; i++) { // queue of 5 overflows
            receipts.publish(i);
        }
        assertThat(closes).containsExactly(StreamCloseCodes.SLOW_CONSUMER);
        time.advance(Duration.ofSeconds(1));
        assertThat(client.state()).isEqualTo(StreamClient.State.CONNECTED);
        assertThat(receivedData()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(hub.stats().slowConsumersDisconnected()).isEqualTo(1);
    }

    @Test
    void messagesTheServerReachedTooLateAreAnnouncedWithOneResyncAndTheSubscriptionGoesOn() {
        hub = newHub("e1"); // receipts: the default maxDeliveryLag
        LoopbackConnector connector = new LoopbackConnector(hub);
        ArrayDeque<Runnable> loop = new ArrayDeque<>(); // the connection's thread, run when the test says
        connector.fanout = new ExecutorFanout(loop::add);
        client = clientBuilder(connector).build();
        client.start();
        receipts.publish("a");
        runAll(loop);
        receipts.publish("b");
        receipts.publish("c");
        time.advance(StreamOptions.DEFAULT_MAX_DELIVERY_LAG.plusMillis(1));
        runAll(loop);
        receipts.publish("d");
        runAll(loop);

        assertThat(receivedData()).containsExactly("a", "d");
        assertThat(resyncs).singleElement().satisfies(n -> {
            assertThat(n.reason()).isEqualTo(ServerMessage.Resync.DELIVERY_LATE);
            assertThat(n.stream()).isEqualTo("receipts");
            assertThat(n.since()).isEqualTo(1);
            assertThat(n.firstSeq()).isEqualTo(4);
        });
        assertThat(closes).as("no close, no reconnect").isEmpty();
        assertThat(connector.loops).hasSize(1);
        assertThat(client.lastSeq("receipts")).isEqualTo(4);
        assertThat(hub.stats().streams().get("receipts").shed()).isEqualTo(2);
    }

    private static void runAll(ArrayDeque<Runnable> tasks) {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
        }
    }

    @Test
    void serverRestartWithANewEpochIsAnnouncedAndSeqsStartAfresh() {
        hub = newHub("e1");
        LoopbackConnector connector = new LoopbackConnector(hub);
        client = clientBuilder(connector).build();
        client.start();
        receipts.publish("old1");
        receipts.publish("old2");
        hub.close();
        assertThat(closes).containsExactly(StreamCloseCodes.SHUTTING_DOWN);
        hub = newHub("e2");
        connector.hub = hub;
        receipts.publish("new1");
        time.advance(Duration.ofSeconds(1));
        assertThat(client.state()).isEqualTo(StreamClient.State.CONNECTED);
        assertThat(resyncs).singleElement().satisfies(n -> assertThat(n.reason()).isEqualTo("epoch_changed"));
        receipts.publish("new2");
        assertThat(receivedData()).containsExactly("old1", "old2", "new1", "new2");
        assertThat(client.lastSeq("receipts")).isEqualTo(2);
    }

    /** A connector whose server side the test scripts message by message. */
    private StreamClient clientOverScript(List<StreamClient.LinkEvents> servers, List<String> sent) {
        StreamClient.Connector scripted = (uri, events) -> {
            servers.add(events);
            return CompletableFuture.completedFuture(new StreamClient.Link() {
                @Override
                public void sendText(String text) {
                    sent.add(text);
                }

                @Override
                public void close(int code, String reason) {
                }
            });
        };
        return StreamClient.builder(URI_, scripted).scheduler(time.forClient()).random(new Random(42))
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).subscribe("receipts", received::add).build();
    }

    @Test
    void dataOfAnotherEpochMovesTheResumePointInsteadOfBeingDroppedAsADuplicate() {
        List<StreamClient.LinkEvents> servers = new CopyOnWriteArrayList<>();
        List<String> sent = new CopyOnWriteArrayList<>();
        client = clientOverScript(servers, sent);
        client.start();
        StreamClient.LinkEvents server = servers.get(0);
        server.onText("{\"type\":\"welcome\",\"available_streams\":[\"receipts\"],\"epoch\":\"e1\"}");
        server.onText("{\"type\":\"subscribed\",\"stream\":\"receipts\",\"epoch\":\"e1\",\"policy\":\"queue\",\"seq\":4}");
        server.onText("{\"type\":\"receipts\",\"data\":\"a\",\"seq\":5,\"epoch\":\"e1\"}");
        server.onText("{\"type\":\"receipts\",\"data\":\"a\",\"seq\":5,\"epoch\":\"e1\"}");
        server.onText("{\"type\":\"receipts\",\"data\":\"b\",\"seq\":2,\"epoch\":\"e2\"}");
        assertThat(receivedData()).as("a duplicate of the same epoch is dropped, a smaller seq of another is not")
                .containsExactly("a", "b");
        assertThat(client.lastSeq("receipts")).isEqualTo(2);

        server.onClosed(1006, "");
        time.advance(Duration.ofSeconds(1));
        assertThat(servers).hasSize(2);
        assertThat(sent.get(sent.size() - 1)).as("resume point and epoch travel as a pair")
                .isEqualTo("{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":2,\"epoch\":\"e2\"}");
    }

    @Test
    void timestampsOutOfRangeBecomeZeroInsteadOfThrowingOrExpanding() {
        List<StreamClient.LinkEvents> servers = new CopyOnWriteArrayList<>();
        client = clientOverScript(servers, new CopyOnWriteArrayList<>());
        client.start();
        StreamClient.LinkEvents server = servers.get(0);
        server.onText("{\"type\":\"subscribed\",\"stream\":\"receipts\",\"epoch\":\"e1\",\"policy\":\"queue\",\"seq\":0}");
        server.onText("{\"type\":\"receipts\",\"data\":1,\"seq\":1,\"epoch\":\"e1\",\"timestamp\":1e999999999}");
        server.onText("{\"type\":\"receipts\",\"data\":2,\"seq\":2,\"epoch\":\"e1\",\"timestamp\":-1e99999999}");
        server.onText("{\"type\":\"receipts\",\"data\":3,\"seq\":3,\"epoch\":\"e1\",\"timestamp\":9223372036854775807}");
        server.onText("{\"type\":\"receipts\",\"data\":4,\"seq\":4,\"epoch\":\"e1\",\"timestamp\":1764104700.1239}");
        server.onText("{\"type\":\"receipts\",\"data\":5,\"seq\":5,\"epoch\":\"e1\",\"timestamp\":1e-999999999}");
        assertThat(received).extracting(StreamMessage::timestampMillis).containsExactly(0L, 0L, 0L, 1_764_104_700_123L, 0L);
    }

    @Test
    void dataWithoutEpochFromAnOlderHubStillResumesUnderTheSubscribedEpoch() {
        List<StreamClient.LinkEvents> servers = new CopyOnWriteArrayList<>();
        List<String> sent = new CopyOnWriteArrayList<>();
        client = clientOverScript(servers, sent);
        client.start();
        StreamClient.LinkEvents server = servers.get(0);
        server.onText("{\"type\":\"subscribed\",\"stream\":\"receipts\",\"epoch\":\"e1\",\"policy\":\"queue\",\"seq\":0}");
        server.onText("{\"type\":\"receipts\",\"data\":\"a\",\"seq\":1}");
        server.onText("{\"type\":\"receipts\",\"data\":\"a\",\"seq\":1}");
        assertThat(receivedData()).containsExactly("a");
        server.onClosed(1006, "");
        time.advance(Duration.ofSeconds(1));
        assertThat(sent.get(sent.size() - 1))
                .isEqualTo("{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":1,\"epoch\":\"e1\"}");
    }

    @Test
    void backoffGrowsWithJitterUpToTheCapAndResetsAfterAWelcome() {
        hub = newHub("e1");
        LoopbackConnector connector = new LoopbackConnector(hub);
        client = clientBuilder(connector).build();
        client.start();
        connector.refuse = true;
        connector.last().drop();
        List<Long> delays = new ArrayList<>();
        long waited = 0;
        int connects = connector.loops.size();
        for (int i = 0; i < 6; i++) {
            int attemptsBefore = states.size();
            long ms = 0;
            while (states.size() == attemptsBefore) { // until the next CONNECTING
                time.advance(Duration.ofMillis(10));
                ms += 10;
                assertThat(ms).as("a retry came").isLessThan(20_000);
            }
            delays.add(ms);
            waited += ms;
        }
        // bases 1, 2, 4, 8, 8, 8 s; each delay within [base/2, base]
        long[] bases = {1000, 2000, 4000, 8000, 8000, 8000};
        for (int i = 0; i < bases.length; i++) {
            assertThat(delays.get(i)).as("delay " + i).isBetween(bases[i] / 2, bases[i] + 10);
        }
        assertThat(connector.loops).hasSize(connects);
        connector.refuse = false;
        time.advance(Duration.ofSeconds(8));
        assertThat(client.state()).isEqualTo(StreamClient.State.CONNECTED);
        connector.last().drop();
        time.advance(Duration.ofSeconds(1));
        assertThat(client.state()).as("backoff reset after a welcome").isEqualTo(StreamClient.State.CONNECTED);
        assertThat(waited).isPositive();
    }

    @Test
    void notAuthorizedStopsTheClient() {
        hub = StreamHub.builder().scheduler(time).authorizer(new StreamAuthorizer() {
            @Override
            public boolean maySubscribe(HandshakeInfo handshake, String stream) {
                return true;
            }

            @Override
            public boolean mayConnect(HandshakeInfo handshake) {
                return false;
            }
        }).build();
        hub.register("receipts", new PushedSource());
        hub.start();
        LoopbackConnector connector = new LoopbackConnector(hub);
        client = clientBuilder(connector).build();
        client.start();
        time.advance(Duration.ofMinutes(5));
        assertThat(client.state()).isEqualTo(StreamClient.State.CLOSED);
        assertThat(connector.loops).hasSize(1);
    }

    @Test
    void subscribeErrorsReachTheListeners() {
        hub = newHub("e1");
        client = clientBuilder(new LoopbackConnector(hub)).build();
        client.start();
        List<String> streamErrors = new CopyOnWriteArrayList<>();
        client.subscribe("nope", new StreamListener() {
            @Override
            public void onMessage(StreamMessage message) {
            }

            @Override
            public void onError(String code, String message) {
                streamErrors.add(code);
            }
        });
        assertThat(streamErrors).containsExactly("unknown_stream");
        assertThat(errors).containsExactly("unknown_stream:nope");
    }

    @Test
    void closeIsCleanAndFinal() {
        hub = newHub("e1");
        LoopbackConnector connector = new LoopbackConnector(hub);
        client = clientBuilder(connector).build();
        client.start();
        client.close();
        assertThat(connector.last().closeCode).isEqualTo(1000);
        assertThat(client.state()).isEqualTo(StreamClient.State.CLOSED);
        time.advance(Duration.ofMinutes(5));
        assertThat(connector.loops).hasSize(1);
        assertThat(hub.stats().connections()).isZero();
    }
}
