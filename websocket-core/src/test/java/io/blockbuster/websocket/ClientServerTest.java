package io.blockbuster.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our client against our server, over ws:// and wss://. */
class ClientServerTest {
    private Loopback loopback;
    private WebSocketClient client;

    @AfterEach
    void stop() {
        if (loopback != null) {
            loopback.close();
        }
    }


    /** Starts the fixture's server as {@code server} configures it; returns its base URI. */
    private URI start(boolean tls, Consumer<WebSocketServer.Builder> server) throws Exception {
        loopback = Loopback.start(tls, server, WebSocketClient.builder()
                .limits(WebSocketLimits.builder().maxSizes(8 << 20, 8 << 20).build()));
        client = loopback.client();
        return loopback.uri("");
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void echoesTextAndBinaryAndClosesCleanly(boolean tls) throws Exception {
        URI base = start(tls, s -> s
                .limits(WebSocketLimits.builder().maxSizes(8 << 20, 8 << 20).build())
                .handler("/echo", Loopback.ECHO));
        Recorder rec = new Recorder();
        WebSocket ws = client.connect(base.resolve("/echo"), rec).get(30, TimeUnit.SECONDS);
        assertThat(rec.next()).isEqualTo("open");
        assertThat(ws.isOpen()).isTrue();
        ws.sendText("héllo").get(30, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap("bin".getBytes(StandardCharsets.ISO_8859_1))).get(30, TimeUnit.SECONDS);
        assertThat(rec.next()).isEqualTo("text héllo");
        assertThat(rec.next()).isEqualTo("binary bin");

        byte[] big = new byte[5 << 20];
        new Random(1).nextBytes(big);
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        Recorder bigRec = new Recorder() {
            @Override
            public void onBinary(WebSocket w, ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                echoed.complete(b);
            }
        };
        WebSocket ws2 = client.connect(base.resolve("/echo"), bigRec).get(30, TimeUnit.SECONDS);
        ws2.sendBinary(ByteBuffer.wrap(big));
        assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo(big);

        ws.close(1000, "bye").get(30, TimeUnit.SECONDS);
        assertThat(ws.isOpen()).isFalse();
        Recorder.CloseEvent close = rec.awaitClose();
        assertThat(close.status()).isEqualTo(new CloseStatus(1000, "bye"));
        assertThat(close.closedByPeer()).isFalse();
        assertThatThrownBy(() -> ws.sendText("late").get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(rec.violation).isNull();
        ws2.close(1000, "").get(30, TimeUnit.SECONDS);
        bigRec.awaitClose();
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void handshakeDetailsAreVisibleOnBothSides(boolean tls) throws Exception {
        CompletableFuture<WebSocket> serverSide = new CompletableFuture<>();
        CompletableFuture<RequestHead> decided = new CompletableFuture<>();
        URI base = start(tls, s -> s
                .subprotocols("v2.chat", "v1.chat")
                .handler("/room", request -> {
                    decided.complete(request);
                    if (!"7".equals(request.queryParameters().getOrDefault("id", List.of()).stream()
                            .findFirst().orElse(null))) {
                        return HandshakeDecision.reject(401, "no id");
                    }
                    return HandshakeDecision.accept(new WebSocketListener() {
                        @Override
                        public void onOpen(WebSocket ws) {
                            ws.attributes().put("user", "u7");
                            serverSide.complete(ws);
                        }
                    });
                }));
        Recorder rec = new Recorder();
        WebSocket ws = client.connect(base.resolve("/room?id=7"), Map.of("X-Token", List.of("abc")),
                List.of("v1.chat", "v2.chat"), rec).get(30, TimeUnit.SECONDS);
        WebSocket peer = serverSide.get(30, TimeUnit.SECONDS);
        assertThat(ws.handshake().subprotocol()).isEqualTo("v2.chat");
        assertThat(peer.handshake().subprotocol()).isEqualTo("v2.chat");
        assertThat(peer.handshake().request().path()).isEqualTo("/room");
        assertThat(peer.handshake().request().query()).isEqualTo("id=7");
        assertThat(peer.handshake().request().header("x-token")).isEqualTo("abc");
        assertThat(peer.attributes()).containsEntry("user", "u7");
        assertThat(peer.handshake().remoteAddress().getPort()).isEqualTo(ws.handshake().localAddress().getPort());
        assertThat(ws.handshake().request().path()).isEqualTo("/room");
        assertThat(peer.handshake().extensions()).isEmpty();
        // What the handler decided on: the request as the client sent it, offered subprotocols in its order.
        RequestHead asked = decided.get(30, TimeUnit.SECONDS);
        assertThat(asked.method()).isEqualTo("GET");
        assertThat(asked.target()).isEqualTo("/room?id=7");
        assertThat(asked.queryParameters()).isEqualTo(Map.of("id", List.of("7")));
        assertThat(asked.headers("X-TOKEN")).containsExactly("abc");
        assertThat(asked.headerNames()).contains("X-Token", "Sec-WebSocket-Key");
        assertThat(asked.subprotocols()).containsExactly("v1.chat", "v2.chat");
        assertThat(peer.handshake().request().subprotocols()).as("parsed again from the retained head")
                .containsExactly("v1.chat", "v2.chat");
        assertThat(ws.handshake().request().subprotocols()).as("the client's own request").containsExactly("v1.chat", "v2.chat");

        assertThatThrownBy(() -> client.connect(base.resolve("/room?id=8"), new Recorder()).get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(io.blockbuster.websocket.protocol.HandshakeException.class);
        assertThatThrownBy(() -> client.connect(base.resolve("/nowhere"), new Recorder()).get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(io.blockbuster.websocket.protocol.HandshakeException.class);
        // Counted by status: the handler's 401, and 404 for the path without a handler.
        Await.until(() -> loopback.server().stats().handshakesRejected().size() == 2, "both rejections counted");
        assertThat(loopback.server().stats().handshakesRejected()).isEqualTo(Map.of(401, 1L, 404, 1L));
        assertThat(loopback.server().stats().connectionsOpened()).isEqualTo(1);
    }

    /** A server listener that keeps each opened connection and counts it down. */
    private static WebSocketListener collecting(List<WebSocket> peers, CountDownLatch opened) {
        return new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                peers.add(ws);
                opened.countDown();
            }
        };
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void preparedMessageReachesEveryConnection(boolean tls) throws Exception {
        List<WebSocket> peers = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch opened = new CountDownLatch(20);
        URI base = start(tls, s -> s.handler("/feed", collecting(peers, opened)));
        List<Recorder> recs = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Recorder r = new Recorder();
            recs.add(r);
            client.connect(base.resolve("/feed"), r).get(30, TimeUnit.SECONDS);
        }
        assertThat(opened.await(30, TimeUnit.SECONDS)).isTrue();
        PreparedMessage small = PreparedMessage.text("tick");
        byte[] payload = new byte[5000];
        java.util.Arrays.fill(payload, (byte) 'x');
        PreparedMessage large = PreparedMessage.binary(ByteBuffer.wrap(payload));
        for (WebSocket p : peers) {
            p.send(small);
            p.send(large);
        }
        for (Recorder r : recs) {
            assertThat(r.next()).isEqualTo("open");
            assertThat(r.next()).isEqualTo("text tick");
            assertThat(r.next()).isEqualTo("binary " + "x".repeat(5000));
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aMessagePreparedFromUtf8BytesArrivesAsTheTextTheyEncode(boolean tls) throws Exception {
        List<WebSocket> peers = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch opened = new CountDownLatch(2);
        URI base = start(tls, s -> s.handler("/feed", collecting(peers, opened)));
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        client.connect(base.resolve("/feed"), a).get(30, TimeUnit.SECONDS);
        client.connect(base.resolve("/feed"), b).get(30, TimeUnit.SECONDS);
        assertThat(opened.await(30, TimeUnit.SECONDS)).isTrue();
        String text = PreparedMessageTest.TEXT;
        PreparedMessage m = PreparedMessage.textUtf8(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        for (WebSocket p : peers) {
            p.send(m).get(30, TimeUnit.SECONDS);
        }
        for (Recorder r : List.of(a, b)) {
            assertThat(r.next()).isEqualTo("open");
            assertThat(r.next()).isEqualTo("text " + text);
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void messagesFromManyThreadsArriveWholeAndInPerThreadOrder(boolean tls) throws Exception {
        URI base = start(tls, s -> s.handler("/echo", Loopback.ECHO));
        int threads = 4;
        int perThread = 500;
        CountDownLatch all = new CountDownLatch(threads * perThread);
        int[] lastSeen = new int[threads];
        java.util.Arrays.fill(lastSeen, -1);
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        WebSocket ws = client.connect(base.resolve("/echo"), new WebSocketListener() {
            @Override
            public void onText(WebSocket w, String text) {
                String[] parts = text.split(":");
                int t = Integer.parseInt(parts[0]);
                int n = Integer.parseInt(parts[1]);
                if (n != lastSeen[t] + 1 || parts[2].length() != 300 + n) {
                    errors.add(text.substring(0, Math.min(20, text.length())));
                }
                lastSeen[t] = n;
                all.countDown();
            }
        }).get(30, TimeUnit.SECONDS);
        Thread[] senders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders[t] = new Thread(() -> {
                for (int n = 0; n < perThread; n++) {
                    ws.sendText(id + ":" + n + ":" + "y".repeat(300 + n));
                }
            });
            senders[t].start();
        }
        for (Thread s : senders) {
            s.join();
        }
        assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(errors).isEmpty();
    }
    @org.junit.jupiter.api.Test
    void callerMisuseIsRejectedAtOnceAndNothingIsSent() throws Exception {
        URI base = start(false, s -> s.handler("/echo", Loopback.ECHO));
        Recorder rec = new Recorder();
        WebSocket ws = client.connect(base.resolve("/echo"), rec).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> ws.close(1005, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ws.close(1006, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ws.sendPing(ByteBuffer.allocate(126))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ws.isOpen()).isTrue();
        ws.sendPing(ByteBuffer.wrap("p".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        assertThat(rec.next()).isEqualTo("open");
        assertThat(rec.next()).isEqualTo("pong p");
        CompletableFuture<Void> first = ws.close(4001, "first");
        CompletableFuture<Void> second = ws.close(4002, "second");
        assertThat(second).isCompleted();
        first.get(30, TimeUnit.SECONDS);
        assertThat(rec.awaitClose().status()).isEqualTo(new CloseStatus(4001, "first"));
        assertThat(rec.next()).isEqualTo("close 4001 local");
        assertThat(rec.events).isEmpty();
        assertThat(rec.violation).isNull();
    }
}
