package io.blockbuster.stream.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.HubLimits;
import io.blockbuster.stream.PolledSource;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.SourceStatus;
import io.blockbuster.stream.StreamCloseCodes;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.client.StreamClient;
import io.blockbuster.stream.client.StreamMessage;
import io.blockbuster.stream.json.Json;
import io.blockbuster.testsupport.Await;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hub over real loopback sockets: whole conversations through websocket-core's server and client. */
class StreamBindingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private StreamHub hub;
    private WebSocketServer server;
    private WebSocketClient wsClient;
    private final List<WebSocket> serverSide = new CopyOnWriteArrayList<>();
    private final PushedSource receipts = new PushedSource();
    private final PushedSource metrics = new PushedSource();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        hub = StreamHub.builder().epoch("run1").welcomeMessage("welcome to the test")
                .limits(new HubLimits(512, 3, 1000, 256))
                .authorizer((handshake, stream) -> !stream.equals("admin") || "s3cret".equals(handshake.queryParameter("token")))
                .build();
        // Fast subscribers must get every message: a loop stalled past the default maxDeliveryLag on a
        // loaded box would skip some (and tell it with a resync), which is not what these tests are about.
        hub.register("receipts", receipts, StreamOptions.events().withQueueCapacity(16).withHistoryCapacity(10_000)
                .withMaxDeliveryLag(Duration.ofMinutes(1)));
        hub.register("network_metrics", metrics, StreamOptions.state());
        hub.register("admin", new PushedSource());
        AtomicInteger failures = new AtomicInteger();
        hub.register("flaky", PolledSource.every(Duration.ofMillis(20), () -> {
            throw new IOException("node down #" + failures.incrementAndGet());
        }), StreamOptions.state().withPollWhileIdle(true).withBackoff(Duration.ofMillis(20), Duration.ofMillis(40)));
        AtomicInteger ticks = new AtomicInteger();
        hub.register("ticks", PolledSource.every(Duration.ofMillis(20), ticks::incrementAndGet),
                StreamOptions.events().withPollWhileIdle(true));
        hub.start();
        server = LoopbackHubServer.serve(hub, serverSide::add); // recorded so a test can drop one
        wsClient = WebSocketClient.builder().build();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        wsClient.close();
        stopServer();
        hub.close();
    }

    /** Shuts the server down with clients still connected (they hear 1001) and starts a fresh client. */
    private void stopServer() {
        server.shutdown(Duration.ofSeconds(2));
        wsClient.close();
        wsClient = WebSocketClient.builder().build();
    }

    private URI uri(String query) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws" + query);
    }

    /** A raw JSON conversation over a websocket-core client. */
    private final class Conversation {
        final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        final WebSocket ws;

        Conversation(String query) throws Exception {
            ws = wsClient.connect(uri(query), new WebSocketListener() {
                @Override
                public void onText(WebSocket w, String text) {
                    inbox.add(text);
                }

                @Override
                public void onClose(WebSocket w, CloseStatus status, boolean closedByPeer) {
                    closed.complete(status);
                }
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> next() throws InterruptedException {
            String text = inbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(text).as("a message arrived; " + diagnostics()).isNotNull();
            return (Map<String, Object>) Json.parse(text);
        }

        Map<String, Object> ask(String request) throws InterruptedException {
            ws.sendText(request);
            return next();
        }
    }

    /**
     * Opens a connection with the JDK's own WebSocket client and returns the close code it receives:
     * the code on the wire, checked by an independent implementation.
     */
    private CompletableFuture<Integer> jdkCloseCode(String query, BlockingQueue<String> texts) throws Exception {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri(query), new java.net.http.WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                texts.add(data.toString());
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
                code.complete(statusCode);
                return null;
            }

            @Override
            public void onError(java.net.http.WebSocket ws, Throwable error) {
                code.completeExceptionally(error);
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return code;
    }

    private String diagnostics() {
        StringBuilder sb = new StringBuilder(String.valueOf(hub.stats().streams().get("receipts")));
        for (WebSocket ws : serverSide) {
            sb.append("\n server-side ").append(ws.handshake().remoteAddress()).append(" open=").append(ws.isOpen())
                    .append(" writable=").append(ws.isWritable()).append(" buffered=").append(ws.bufferedBytes());
        }
        return sb.toString();
    }

    private void await(BooleanSupplier condition, String what) {
        Await.until(condition, () -> what + "; " + hub.stats());
    }

    @Test
    void wholeConversationWithSnapshotAndEveryErrorReply() throws Exception {
        metrics.publish(Map.of("peers", 12));
        Conversation c = new Conversation("");
        Map<String, Object> welcome = c.next();
        assertThat(welcome).containsEntry("type", "welcome").containsEntry("message", "welcome to the test")
                .containsEntry("available_streams", List.of("receipts", "network_metrics", "flaky", "ticks"))
                .containsEntry("epoch", "run1").containsKey("timestamp");

        assertThat(c.ask("{\"type\":\"subscribe\",\"stream\":\"network_metrics\"}"))
                .containsEntry("type", "subscribed").containsEntry("stream", "network_metrics");
        assertThat(c.next()).as("snapshot").containsEntry("type", "network_metrics")
                .containsEntry("data", Map.of("peers", 12L)).containsEntry("seq", 1L);
        assertThat(c.ask("{\"type\":\"ping\"}")).containsEntry("type", "pong");

        String[][] bad = {
            {"{\"type\":", "invalid_json"},
            {"[]", "invalid_request"},
            {"{\"stream\":\"receipts\"}", "missing_type"},
            {"{\"type\":\"fly\"}", "unknown_type"},
            {"{\"type\":\"subscribe\",\"stream\":\"nope\"}", "unknown_stream"},
            {"{\"type\":\"subscribe\",\"stream\":\"network_metrics\"}", "already_subscribed"},
            {"{\"type\":\"unsubscribe\",\"stream\":\"receipts\"}", "not_subscribed"},
            {"{\"type\":\"subscribe\",\"stream\":\"admin\"}", "not_authorized"},
            {"{\"type\":\"ping\",\"pad\":\"" + "x".repeat(600) + "\"}", "request_too_large"},
        };
        for (String[] row : bad) {
            assertThat(c.ask(row[0])).as(row[0]).containsEntry("type", "error").containsEntry("code", row[1]);
        }
        c.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2}));
        assertThat(c.next()).containsEntry("code", "unsupported_message");
        assertThat(c.ask("{\"type\":\"subscribe\",\"stream\":\"receipts\"}")).containsEntry("type", "subscribed");
        assertThat(c.ask("{\"type\":\"subscribe\",\"stream\":\"ticks\"}")).containsEntry("type", "subscribed");
        Map<String, Object> tooMany = c.ask("{\"type\":\"subscribe\",\"stream\":\"flaky\"}");
        while ("ticks".equals(tooMany.get("type"))) {
            tooMany = c.next();
        }
        assertThat(tooMany).containsEntry("code", "too_many_subscriptions");

        c.ws.sendText("{\"type\":\"unsubscribe\",\"stream\":\"ticks\"}");
        Map<String, Object> m;
        do {
            m = c.next();
        } while ("ticks".equals(m.get("type")));
        assertThat(m).containsEntry("type", "unsubscribed").containsEntry("stream", "ticks");
        receipts.publish("r1");
        do {
            m = c.next();
        } while ("ticks".equals(m.get("type"))); // a tick already in flight may still arrive
        assertThat(m).containsEntry("type", "receipts").containsEntry("data", "r1").containsEntry("seq", 1L);
        assertThat(c.ws.isOpen()).isTrue();
        assertThat(c.closed).isNotDone();

        Conversation admin = new Conversation("?token=s3cret");
        assertThat(admin.next().get("available_streams")).asList().contains("admin");
        assertThat(admin.ask("{\"type\":\"subscribe\",\"stream\":\"admin\"}")).containsEntry("type", "subscribed");
    }

    @Test
    void tooManyRequestsPerSecondGetRateLimited() throws Exception {
        hub.close();
        hub = StreamHub.builder().limits(new HubLimits(512, 3, 5, 256)).build();
        hub.start();
        stopServer();
        server = StreamBinding.serve(hub, 0, "/ws");
        Conversation c = new Conversation("");
        c.next();
        for (int i = 0; i < 20; i++) {
            c.ws.sendText("{\"type\":\"ping\"}");
        }
        List<Object> types = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> reply = c.next();
            types.add(reply.get("type").equals("error") ? reply.get("code") : reply.get("type"));
        }
        assertThat(types).contains("pong", "rate_limited");
        assertThat(c.closed).isNotDone();
    }

    @Test
    void slowSubscriberIsDisconnectedWhileFastOnesGetEverything() throws Exception {
        List<Conversation> fast = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Conversation c = new Conversation("");
            c.next();
            assertThat(c.ask("{\"type\":\"subscribe\",\"stream\":\"receipts\"}")).containsEntry("type", "subscribed");
            fast.add(c);
        }
        try (RawClient slow = new RawClient(server.port(), 4096)) {
            slow.sendText("{\"type\":\"subscribe\",\"stream\":\"receipts\"}"); // and never reads again
            String payload = "x".repeat(32 * 1024);
            // Publish in rounds of 8 and let the fast subscribers read each round, so only the one that
            // never reads falls behind; its socket buffers, the transport watermark and then its queue
            // of 16 fill up and it is disconnected. Then a few more rounds prove the others carry on.
            int seq = 0;
            int roundsAfterDisconnect = 0;
            while (roundsAfterDisconnect < 5) {
                assertThat(seq).as("the slow subscriber should have been disconnected by now").isLessThan(4000);
                for (int i = 0; i < 8; i++) {
                    receipts.publish(Map.of("n", ++seq, "pad", payload));
                }
                for (Conversation c : fast) {
                    for (int i = seq - 7; i <= seq; i++) {
                        Map<String, Object> m = c.next();
                        assertThat(m).containsEntry("seq", (long) i);
                        assertThat(((Map<?, ?>) m.get("data")).get("n")).isEqualTo((long) i);
                    }
                }
                if (hub.stats().slowConsumersDisconnected() > 0) {
                    roundsAfterDisconnect++;
                }
            }
            assertThat(hub.stats().slowConsumersDisconnected()).isEqualTo(1);
            for (Conversation c : fast) {
                assertThat(c.closed).isNotDone();
            }
            assertThat(hub.stats().streams().get("receipts").subscribers()).isEqualTo(3);
        }
    }

    @Test
    void streamClientResumesAfterAForcedDisconnectWithNothingLostOrDuplicated() throws Exception {
        List<StreamMessage> got = new CopyOnWriteArrayList<>();
        BlockingQueue<StreamClient.State> states = new LinkedBlockingQueue<>();
        StreamClient client = StreamClient.builder(uri(""), StreamBinding.connector(wsClient))
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .listener(new StreamClient.Listener() {
                    @Override
                    public void onStateChange(StreamClient.State state) {
                        states.add(state);
                    }
                })
                .subscribe("receipts", got::add)
                .build();
        toClose.add(client);
        client.start();
        await(() -> hub.stats().streams().get("receipts").subscribers() == 1, "the subscription");
        for (int i = 1; i <= 50; i++) {
            receipts.publish(i);
        }
        await(() -> got.size() == 50, "50 messages");
        for (WebSocket ws : serverSide) {
            ws.abort(); // the network drops the connection
        }
        await(() -> client.state() != StreamClient.State.CONNECTED, "the client to notice");
        for (int i = 51; i <= 100; i++) {
            receipts.publish(i); // published while the client is away
        }
        await(() -> got.size() >= 100, "the missed messages");
        for (int i = 101; i <= 120; i++) {
            receipts.publish(i);
        }
        await(() -> got.size() >= 120, "live messages after the resume");
        List<Object> data = new ArrayList<>();
        for (StreamMessage m : got) {
            data.add(m.data());
        }
        List<Object> expected = new ArrayList<>();
        for (long i = 1; i <= 120; i++) {
            expected.add(i);
        }
        assertThat(data).isEqualTo(expected);
        assertThat(states).contains(StreamClient.State.WAITING_TO_RECONNECT);
        client.close();
        assertThat(client.state()).isEqualTo(StreamClient.State.CLOSED);
    }

    @Test
    void failingSourceBesideHealthyOnes() throws Exception {
        BlockingQueue<StreamMessage> ticks = new LinkedBlockingQueue<>();
        StreamClient client = StreamBinding.client(uri("")).subscribe("ticks", ticks::add).build();
        toClose.add(client);
        client.start();
        long previous = 0;
        for (int i = 0; i < 5; i++) {
            StreamMessage m = ticks.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(m).as("tick " + i).isNotNull();
            assertThat(m.seq()).isGreaterThan(previous);
            previous = m.seq();
        }
        await(() -> hub.sourceStatus("flaky").consecutiveFailures() >= 3, "the flaky source to fail repeatedly");
        SourceStatus flaky = hub.sourceStatus("flaky");
        assertThat(flaky.health()).isEqualTo(SourceStatus.Health.FAILING);
        assertThat(flaky.lastError()).startsWith("IOException: node down #");
        assertThat(hub.sourceStatus("ticks").health()).isEqualTo(SourceStatus.Health.HEALTHY);
        assertThat(hub.stats().toJson()).contains("\"flaky\"").contains("FAILING");
    }

    @Test
    void refusedConnectionIsClosedWithNotAuthorizedAndTheClientStops() throws Exception {
        hub.close();
        hub = StreamHub.builder().authorizer(new io.blockbuster.stream.StreamAuthorizer() {
            @Override
            public boolean maySubscribe(io.blockbuster.stream.HandshakeInfo handshake, String stream) {
                return true;
            }

            @Override
            public boolean mayConnect(io.blockbuster.stream.HandshakeInfo handshake) {
                return handshake.remoteAddress() != null && "s3cret".equals(handshake.queryParameter("token"));
            }
        }).build();
        hub.start();
        stopServer();
        server = StreamBinding.serve(hub, 0, "/ws");
        BlockingQueue<String> refusedTexts = new LinkedBlockingQueue<>();
        assertThat(jdkCloseCode("?token=wrong", refusedTexts).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(StreamCloseCodes.NOT_AUTHORIZED);
        assertThat(refusedTexts).isEmpty();
        Conversation allowed = new Conversation("?token=s3cret");
        assertThat(allowed.next()).containsEntry("type", "welcome");

        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        StreamClient client = StreamBinding.client(uri("?token=nope")).listener(new StreamClient.Listener() {
            @Override
            public void onClose(int code, String reason) {
                closeCode.complete(code);
            }
        }).build();
        toClose.add(client);
        client.start();
        assertThat(closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(StreamCloseCodes.NOT_AUTHORIZED);
        await(() -> client.state() == StreamClient.State.CLOSED, "the client to stop");
        assertThat(hub.stats().connectionsOpened()).as("refused, allowed, client once: no reconnect after 4500").isEqualTo(3);
    }

    @Test
    void hubShutdownClosesConnectionsWithShuttingDown() throws Exception {
        BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> code = jdkCloseCode("", texts);
        assertThat(texts.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).contains("\"welcome\"");
        hub.close();
        assertThat(code.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(StreamCloseCodes.SHUTTING_DOWN);
        assertThat(StreamCloseCodes.shouldReconnect(StreamCloseCodes.SHUTTING_DOWN)).isTrue();
    }
}
