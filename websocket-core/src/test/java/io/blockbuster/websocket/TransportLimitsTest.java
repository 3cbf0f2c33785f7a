package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.protocol.Opcode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Timeouts, limits and misbehaving peers, driven by a raw socket where a real client would not misbehave. */
class TransportLimitsTest {
    private Loopback loopback;
    private WebSocketServer server;
    private WebSocketClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (loopback != null) {
            loopback.close();
        }
    }

    private int start(WebSocketLimits limits, WebSocketListener listener) throws Exception {
        if (loopback != null) {
            loopback.close();
        }
        loopback = Loopback.start(b -> b.limits(limits).handler("/ws", listener)
                .httpHandler(req -> req.path().equals("/health") ? HttpReply.text(200, "ok\n") : null));
        server = loopback.server();
        return loopback.port();
    }

    @Test
    void idleConnectionIsClosedWith1001() throws Exception {
        Recorder serverSide = new Recorder();
        int port = start(WebSocketLimits.builder().idleTimeout(Duration.ofMillis(200)).ping(Duration.ZERO,
                Duration.ZERO).build(), serverSide);
        client = WebSocketClient.builder().limits(WebSocketLimits.builder().ping(Duration.ZERO, Duration.ZERO).build()).build();
        Recorder rec = new Recorder();
        client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), rec).get(30, TimeUnit.SECONDS);
        Recorder.CloseEvent clientClose = rec.awaitClose();
        assertThat(clientClose.status()).isEqualTo(new CloseStatus(1001, "idle timeout"));
        assertThat(clientClose.closedByPeer()).isTrue();
        Recorder.CloseEvent serverClose = serverSide.awaitClose();
        assertThat(serverClose.status().code()).isEqualTo(1001);
        assertThat(serverClose.closedByPeer()).isFalse();
    }

    @Test
    void clientAnswersPingsSoAnActiveConnectionStaysOpenAndADeadPeerIsDropped() throws Exception {
        Recorder serverSide = new Recorder();
        int port = start(WebSocketLimits.builder().ping(Duration.ofMillis(100), Duration.ofSeconds(1)).build(), serverSide);
        // A peer that completes the handshake and then reads nothing and answers nothing.
        try (RawClient dead = new RawClient(port)) {
            assertThat(dead.handshake("/ws")).startsWith("HTTP/1.1 101");
            Recorder.CloseEvent close = serverSide.awaitClose();
            assertThat(close.status().code()).isEqualTo(CloseCodes.ABNORMAL_CLOSURE);
            assertThat(close.closedByPeer()).isFalse();
            assertThat(dead.readFrame().opcode()).isEqualTo(Opcode.PING);
            assertThat(dead.awaitEndOfStream()).isTrue();
        }
        // Our client answers pings automatically: several ping intervals pass without a close (the
        // pong timeout is generous so a loaded machine cannot turn a late pong into a failure).
        CountDownLatch pings = new CountDownLatch(3);
        client = WebSocketClient.builder().limits(WebSocketLimits.builder().ping(Duration.ZERO, Duration.ZERO).build()).build();
        WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), new Recorder() {
            @Override
            public void onPing(WebSocket w, ByteBuffer payload) {
                pings.countDown();
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(pings.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ws.isOpen()).isTrue();
    }

    @Test
    void trickledHandshakeIsDropped() throws Exception {
        int port = start(WebSocketLimits.builder().handshakeTimeout(Duration.ofMillis(300)).build(), new Recorder());
        try (RawClient slow = new RawClient(port)) {
            slow.write("GET /ws HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(slow.awaitEndOfStream()).isTrue();
        }
        Await.until(() -> server.connectionCount() == 0, "connection released");
    }

    @Test
    void plainHttpIsAnsweredByTheHostOr426() throws Exception {
        int port = start(WebSocketLimits.DEFAULTS, new Recorder());
        try (RawClient http = new RawClient(port)) {
            http.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String response = http.readToEnd();
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("ok\n");
        }
        try (RawClient http = new RawClient(port)) {
            http.write("GET /other HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(http.readToEnd()).startsWith("HTTP/1.1 426");
        }
        try (RawClient ws = new RawClient(port)) {
            assertThat(ws.handshake("/missing")).startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void protocolErrorClosesWithItsCode() throws Exception {
        Recorder serverSide = new Recorder();
        int port = start(WebSocketLimits.builder().maxSizes(1000, 1000).build(), serverSide);
        try (RawClient raw = new RawClient(port)) {
            raw.handshake("/ws");
            // Reserved opcode 3: RFC 6455 5.2 says fail the connection, 1002.
            byte[] frame = raw.frame(true, Opcode.TEXT, new byte[] {'a'});
            frame[0] = (byte) 0x83;
            raw.write(frame);
            RawClient.Frame close = raw.readFrame();
            assertThat(close.opcode()).isEqualTo(Opcode.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1002);
            assertThat(raw.awaitEndOfStream()).isTrue();
        }
        assertThat(serverSide.awaitClose().status().code()).isEqualTo(1002);
        Recorder second = new Recorder();
        server.shutdown(Duration.ofSeconds(1));
        port = start(WebSocketLimits.builder().maxSizes(1000, 1000).build(), second);
        try (RawClient raw = new RawClient(port)) {
            raw.handshake("/ws");
            raw.sendFrame(true, Opcode.BINARY, new byte[1001]);
            RawClient.Frame close = raw.readFrame();
            assertThat(close.closeCode()).isEqualTo(1009);
        }
        assertThat(second.awaitClose().status().code()).isEqualTo(1009);
    }

    @Test
    void closeWithoutStatusIsReportedAs1005AndEchoedEmpty() throws Exception {
        Recorder serverSide = new Recorder();
        int port = start(WebSocketLimits.DEFAULTS, serverSide);
        try (RawClient raw = new RawClient(port)) {
            raw.handshake("/ws");
            raw.sendFrame(true, Opcode.CLOSE, new byte[0]);
            RawClient.Frame echo = raw.readFrame();
            assertThat(echo.opcode()).isEqualTo(Opcode.CLOSE);
            assertThat(echo.payload()).isEmpty();
            assertThat(raw.awaitEndOfStream()).isTrue();
        }
        Recorder.CloseEvent close = serverSide.awaitClose();
        assertThat(close.status().code()).isEqualTo(1005);
        assertThat(close.closedByPeer()).isTrue();
    }

    @Test
    void peerThatDisconnectsMidFrameLeavesNothingBehind() throws Exception {
        Recorder serverSide = new Recorder();
        int port = start(WebSocketLimits.DEFAULTS, serverSide);
        for (int i = 0; i < 20; i++) {
            try (RawClient raw = new RawClient(port)) {
                raw.handshake("/ws");
                byte[] frame = raw.frame(true, Opcode.BINARY, new byte[50_000]);
                raw.write(java.util.Arrays.copyOf(frame, 20_000));
            }
        }
        assertThat(serverSide.awaitClose().status().code()).isEqualTo(CloseCodes.ABNORMAL_CLOSURE);
        Await.until(() -> server.connectionCount() == 0, "every connection released");
    }

    @Test
    void maxConnectionsRefusesTheExtraOnes() throws Exception {
        int port = start(WebSocketLimits.builder().maxConnections(3).build(), new Recorder());
        RawClient[] held = new RawClient[3];
        try {
            for (int i = 0; i < 3; i++) {
                held[i] = new RawClient(port);
                assertThat(held[i].handshake("/ws")).startsWith("HTTP/1.1 101");
            }
            try (RawClient extra = new RawClient(port)) {
                String answer;
                try {
                    extra.write(RawClient.upgradeRequest("/ws").getBytes(StandardCharsets.ISO_8859_1));
                    answer = extra.readToEnd();
                } catch (java.io.IOException reset) {
                    answer = ""; // refused before or while we wrote: also a refusal
                }
                assertThat(answer).doesNotContain("101");
            }
            assertThat(server.connectionCount()).isEqualTo(3);
        } finally {
            for (RawClient c : held) {
                if (c != null) {
                    c.close();
                }
            }
        }
        Await.until(() -> server.connectionCount() == 0, "all released");
        try (RawClient again = new RawClient(port)) {
            assertThat(again.handshake("/ws")).startsWith("HTTP/1.1 101");
        }
    }

    @Test
    void peerThatNeverReadsIsBoundedAndClosedWhileOthersKeepTheirPace() throws Exception {
        int maxBuffered = 1 << 20;
        CompletableFuture<WebSocket> stuck = new CompletableFuture<>();
        CompletableFuture<WebSocket> healthy = new CompletableFuture<>();
        CompletableFuture<CloseStatus> stuckClosed = new CompletableFuture<>();
        AtomicLong maxSeen = new AtomicLong();
        CompletableFuture<Boolean> wentUnwritable = new CompletableFuture<>();
        int port = start(WebSocketLimits.builder().writeBuffer(64 * 1024, 256 * 1024, maxBuffered)
                .closeTimeout(Duration.ofMillis(500)).build(), new WebSocketListener() {
            @Override
            public void onText(WebSocket ws, String text) {
                (text.equals("stuck") ? stuck : healthy).complete(ws);
            }

            @Override
            public void onWritabilityChanged(WebSocket ws, boolean writable) {
                if (!writable) {
                    wentUnwritable.complete(true);
                }
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
                if (stuck.isDone() && stuck.getNow(null) == ws) {
                    stuckClosed.complete(status);
                }
            }
        });
        client = WebSocketClient.builder().build();
        CountDownLatch received = new CountDownLatch(200);
        WebSocket good = client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocketListener() {
            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                received.countDown();
            }
        }).get(30, TimeUnit.SECONDS);
        good.sendText("healthy");
        try (RawClient raw = new RawClient(port, 4096)) {
            raw.handshake("/ws");
            raw.sendFrame(true, Opcode.TEXT, "stuck".getBytes(StandardCharsets.UTF_8));
            WebSocket slow = stuck.get(30, TimeUnit.SECONDS);
            WebSocket fast = healthy.get(30, TimeUnit.SECONDS);
            ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
            int failed = 0;
            for (int i = 0; i < 4000; i++) {
                if (!stuckClosed.isDone()) {
                    CompletableFuture<Void> f = slow.sendBinary(chunk);
                    maxSeen.accumulateAndGet(slow.bufferedBytes(), Math::max);
                    if (f.isCompletedExceptionally()) {
                        failed++;
                    }
                } else if (i >= 200) {
                    break;
                }
                if (i < 200) {
                    // the healthy peer is paced by its own completions, as a well-behaved producer is
                    fast.sendBinary(chunk).get(30, TimeUnit.SECONDS);
                }
            }
            assertThat(received.await(30, TimeUnit.SECONDS)).as("the healthy peer got everything").isTrue();
            assertThat(wentUnwritable.get(30, TimeUnit.SECONDS)).isTrue();
            CloseStatus status = stuckClosed.get(30, TimeUnit.SECONDS);
            assertThat(status.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            assertThat(maxSeen.get()).isLessThanOrEqualTo(maxBuffered);
            assertThat(failed).isPositive();
        }
        assertThat(good.isOpen()).isTrue();
    }
    @Test
    void originOutsideTheAllowListIsRefusedWith403() throws Exception {
        server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .allowedOrigins("https://good.example")
                .handler("/ws", new Recorder())
                .build();
        server.start();
        try (RawClient raw = new RawClient(server.port())) {
            raw.write(RawClient.upgradeRequest("/ws").replace("\r\n\r\n", "\r\nOrigin: https://evil.example\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(raw.readHead()).startsWith("HTTP/1.1 403");
        }
        try (RawClient raw = new RawClient(server.port())) {
            raw.write(RawClient.upgradeRequest("/ws").replace("\r\n\r\n", "\r\nOrigin: https://GOOD.example\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(raw.readHead()).startsWith("HTTP/1.1 101");
        }
    }

    @Test
    void oversizedHandshakeHeadIsRefusedWith431() throws Exception {
        int port = start(WebSocketLimits.builder().maxHandshakeHeaderBytes(1024).build(), new Recorder());
        try (RawClient raw = new RawClient(port)) {
            raw.write(RawClient.upgradeRequest("/ws").replace("\r\n\r\n", "\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(raw.readHead()).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void clientHandshakeTimeoutAndRefusedConnectFailTheFuture() throws Exception {
        client = WebSocketClient.builder().handshakeTimeout(Duration.ofMillis(300)).build();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<WebSocket> f = client.connect(URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/"),
                    new Recorder());
            try (java.net.Socket accepted = silent.accept()) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> f.get(30, TimeUnit.SECONDS)))
                        .hasCauseInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CompletableFuture<WebSocket> refused = client.connect(URI.create("ws://127.0.0.1:" + closedPort + "/"), new Recorder());
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> refused.get(30, TimeUnit.SECONDS)))
                .hasCauseInstanceOf(java.net.ConnectException.class);
    }
    @Test
    void abortFromACallbackEndsDeliveryEvenWithFramesStillBuffered() throws Exception {
        Recorder serverSide = new Recorder() {
            @Override
            public void onText(WebSocket ws, String text) {
                super.onText(ws, text);
                ws.abort();
            }
        };
        int port = start(WebSocketLimits.DEFAULTS, serverSide);
        try (RawClient raw = new RawClient(port)) {
            raw.handshake("/ws");
            java.io.ByteArrayOutputStream three = new java.io.ByteArrayOutputStream();
            for (String t : new String[] {"one", "two", "three"}) {
                three.writeBytes(raw.frame(true, Opcode.TEXT, t.getBytes(StandardCharsets.UTF_8)));
            }
            raw.write(three.toByteArray());
            assertThat(raw.awaitEndOfStream()).isTrue();
        }
        assertThat(serverSide.next()).isEqualTo("open");
        assertThat(serverSide.next()).isEqualTo("text one");
        assertThat(serverSide.next()).isEqualTo("close 1006 local");
        assertThat(serverSide.events).isEmpty();
        assertThat(serverSide.violation).isNull();
    }

    @Test
    void oneMessageLargerThanTheHardLimitStillGoesToAPeerThatKeepsUp() throws Exception {
        CompletableFuture<WebSocket> peer = new CompletableFuture<>();
        int port = start(WebSocketLimits.builder().writeBuffer(1024, 4096, 64 * 1024).build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                peer.complete(ws);
            }
        });
        client = WebSocketClient.builder().limits(WebSocketLimits.builder().maxSizes(1 << 20, 1 << 20).build()).build();
        CompletableFuture<Integer> got = new CompletableFuture<>();
        client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocketListener() {
            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                got.complete(data.remaining());
            }
        }).get(30, TimeUnit.SECONDS);
        peer.get(30, TimeUnit.SECONDS).sendBinary(ByteBuffer.allocate(512 * 1024)).get(30, TimeUnit.SECONDS);
        assertThat(got.get(30, TimeUnit.SECONDS)).isEqualTo(512 * 1024);
    }
    @Test
    void writabilityFlipsAtTheHighWatermarkAndBackBelowTheLow() throws Exception {
        CompletableFuture<WebSocket> peer = new CompletableFuture<>();
        java.util.concurrent.BlockingQueue<Boolean> flips = new java.util.concurrent.LinkedBlockingQueue<>();
        int port = start(WebSocketLimits.builder().writeBuffer(16 * 1024, 64 * 1024, 64 << 20).build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                peer.complete(ws);
            }

            @Override
            public void onWritabilityChanged(WebSocket ws, boolean writable) {
                flips.add(writable);
            }
        });
        try (RawClient raw = new RawClient(port, 4096)) {
            raw.handshake("/ws");
            WebSocket ws = peer.get(30, TimeUnit.SECONDS);
            ByteBuffer chunk = ByteBuffer.allocate(8 * 1024);
            int sent = 0;
            CompletableFuture<Void> last = null;
            // Queue until the connection says stop; the peer is not reading yet.
            while (ws.isWritable()) {
                last = ws.sendBinary(chunk);
                sent++;
                assertThat(sent).as("kernel buffers must fill eventually").isLessThan(100_000);
            }
            // (bufferedBytes() is not checked here: the loop may already be writing some of it out)
            assertThat(flips.poll(30, TimeUnit.SECONDS)).isFalse();
            // Now read everything: the queue drains and the connection is writable again.
            for (int i = 0; i < sent; i++) {
                assertThat(raw.readFrame().payload()).hasSize(8 * 1024);
            }
            last.get(30, TimeUnit.SECONDS);
            assertThat(flips.poll(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ws.isWritable()).isTrue();
            assertThat(ws.bufferedBytes()).isZero();
        }
    }
}
