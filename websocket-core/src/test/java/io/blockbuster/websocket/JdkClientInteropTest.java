package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.CloseCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDK's own WebSocket client (java.net.http) against our server: every message kind and close path. */
class JdkClientInteropTest {
    private WebSocketServer server;
    private Recorder serverSide;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        serverSide = new Recorder() {
            @Override
            public void onText(WebSocket ws, String text) {
                super.onText(ws, text);
                if (text.equals("throw")) {
                    throw new IllegalStateException("listener bug");
                }
                if (text.equals("close please")) {
                    ws.close(4000, "as you wish");
                    return;
                }
                ws.sendText(text);
            }

            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
                super.onBinary(ws, data);
                ws.sendBinary(copy);
            }
        };
        server = WebSocketServer.builder()
                .bindAddress(java.net.InetAddress.getLoopbackAddress())
                .eventLoops(2)
                .limits(WebSocketLimits.builder().maxSizes(4 << 20, 4 << 20).build())
                .handler("/echo", serverSide)
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(5));
        assertThat(serverSide.violation).isNull();
    }

    /** Collects what the JDK client receives. */
    static final class JdkListener implements java.net.http.WebSocket.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add("text " + text);
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                events.add("binary " + binary.size() + " " + Arrays.hashCode(binary.toByteArray()));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(java.net.http.WebSocket ws, ByteBuffer message) {
            events.add("pong " + StandardCharsets.UTF_8.decode(message));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
            events.add("close " + statusCode + " " + reason);
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket ws, Throwable error) {
            events.add("error " + error);
            closeCode.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String e = events.poll(30, TimeUnit.SECONDS);
            assertThat(e).as("event within 30 s").isNotNull();
            return e;
        }
    }

    private java.net.http.WebSocket connect(JdkListener listener) throws Exception {
        return http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), listener)
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void textAndBinaryAreEchoedInOrder() throws Exception {
        JdkListener client = new JdkListener();
        java.net.http.WebSocket ws = connect(client);
        assertThat(serverSide.next()).isEqualTo("open");
        ws.sendText("hello", true).get(30, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(30, TimeUnit.SECONDS);
        ws.sendText("", true).get(30, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("text hello");
        assertThat(client.next()).isEqualTo("binary 3 " + Arrays.hashCode(new byte[] {1, 2, 3}));
        assertThat(client.next()).isEqualTo("text ");
        assertThat(serverSide.next()).isEqualTo("text hello");
        assertThat(serverSide.next()).isEqualTo("binary \u0001\u0002\u0003");
        assertThat(serverSide.next()).isEqualTo("text ");
        ws.sendClose(1000, "done").get(30, TimeUnit.SECONDS);
        assertThat(client.closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(1000);
        Recorder.CloseEvent close = serverSide.awaitClose();
        assertThat(close.status()).isEqualTo(new CloseStatus(1000, "done"));
        assertThat(close.closedByPeer()).isTrue();
    }

    @Test
    void largeFragmentedMessagesAreReassembled() throws Exception {
        JdkListener client = new JdkListener();
        java.net.http.WebSocket ws = connect(client);
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        int chunk = 64 * 1024;
        for (int off = 0; off < big.length; off += chunk) {
            int len = Math.min(chunk, big.length - off);
            ws.sendBinary(ByteBuffer.wrap(big, off, len), off + len == big.length).get(30, TimeUnit.SECONDS);
        }
        assertThat(client.next()).isEqualTo("binary " + big.length + " " + Arrays.hashCode(big));
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1_000_000) {
            sb.append("zażółć gęślą jaźń ✓ ");
        }
        String text = sb.toString();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 100_000) {
            parts.add(text.substring(i, Math.min(text.length(), i + 100_000)));
        }
        for (int i = 0; i < parts.size(); i++) {
            ws.sendText(parts.get(i), i == parts.size() - 1).get(30, TimeUnit.SECONDS);
        }
        assertThat(client.next()).isEqualTo("text " + text);
        ws.sendClose(1000, "").get(30, TimeUnit.SECONDS);
        assertThat(client.closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void pingGetsPongWithSamePayload() throws Exception {
        JdkListener client = new JdkListener();
        java.net.http.WebSocket ws = connect(client);
        ws.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("pong are you there");
        assertThat(serverSide.next()).isEqualTo("open");
        assertThat(serverSide.next()).isEqualTo("ping are you there");
        ws.sendClose(1000, "").get(30, TimeUnit.SECONDS);
        client.closeCode.get(30, TimeUnit.SECONDS);
    }

    @Test
    void serverInitiatedCloseReachesTheClientWithCodeAndReason() throws Exception {
        JdkListener client = new JdkListener();
        java.net.http.WebSocket ws = connect(client);
        ws.sendText("close please", true).get(30, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("close 4000 as you wish");
        // the JDK client answers the close by itself once onClose returns
        Recorder.CloseEvent close = serverSide.awaitClose();
        assertThat(close.status()).isEqualTo(new CloseStatus(4000, "as you wish"));
        assertThat(close.closedByPeer()).isFalse();
    }

    @Test
    void listenerThatThrowsClosesWith1011() throws Exception {
        JdkListener client = new JdkListener();
        java.net.http.WebSocket ws = connect(client);
        ws.sendText("throw", true).get(30, TimeUnit.SECONDS);
        assertThat(client.closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(1011);
        Recorder.CloseEvent close = serverSide.awaitClose();
        assertThat(close.status().code()).isEqualTo(1011);
        assertThat(close.closedByPeer()).isFalse();
    }

    @Test
    void abortedClientIsReportedAs1006() throws Exception {
        JdkListener client = new JdkListener();
        java.net.http.WebSocket ws = connect(client);
        serverSide.awaitOpen();
        ws.abort();
        Recorder.CloseEvent close = serverSide.awaitClose();
        assertThat(close.status().code()).isEqualTo(CloseCodes.ABNORMAL_CLOSURE);
        assertThat(close.closedByPeer()).isTrue();
    }

    @Test
    void plainHttpGets426() throws Exception {
        java.net.http.HttpResponse<String> response = http.send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(426);
    }
}
