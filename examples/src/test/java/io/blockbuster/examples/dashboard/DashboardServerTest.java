package io.blockbuster.examples.dashboard;

import io.blockbuster.examples.dashboard.node.FakeNode;
import io.blockbuster.examples.support.LoopbackPorts;
import io.blockbuster.stream.json.Json;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole example: hub, WebSocket and HTTP together, and its shutdown. */
class DashboardServerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void helpListsEveryOption() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            DashboardServer.main(new String[] {"--help"});
        } finally {
            System.setOut(saved);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--node", "--http-port", "--ws-port", "--speed", "--help");
    }

    @Test
    @SuppressWarnings("unchecked")
    void streamsOverWebSocketAndReportsHubStatsOverRest() throws Exception {
        try (DashboardServer server = DashboardServer.start(DashboardOptions.parse("--http-port", "0", "--ws-port", "0",
                "--speed", "10"))) {
            Client client = Client.connect(server.wsPort());
            Map<String, Object> welcome = client.next(m -> "welcome".equals(m.get("type")));
            assertThat((List<Object>) welcome.get("available_streams"))
                    .containsExactly("network_metrics", "markets_health", "receipts", "peers");
            assertThat(welcome).containsKey("epoch")
                    .containsEntry("message", "Connected to The Block real-time data stream");
            for (String stream : List.of("network_metrics", "markets_health", "receipts", "peers")) {
                client.send("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\"}");
            }
            Map<String, Object> metrics = client.next(m -> "network_metrics".equals(m.get("type")));
            assertThat((Map<String, Object>) metrics.get("data")).containsKeys("network_strength", "block_height",
                    "finality_time", "peer_count", "tps", "bandwidth_in", "bandwidth_out", "active_connections");
            assertThat(metrics).containsKeys("timestamp", "seq");
            Map<String, Object> markets = client.next(m -> "markets_health".equals(m.get("type")));
            assertThat((Map<String, Object>) ((Map<String, Object>) markets.get("data")).get("markets"))
                    .containsOnlyKeys("compute", "storage", "energy", "ads");
            Map<String, Object> receipts = client.next(m -> "receipts".equals(m.get("type")));
            assertThat((List<Object>) ((Map<String, Object>) receipts.get("data")).get("receipts")).isNotEmpty();
            assertThat((Map<String, Object>) client.next(m -> "peers".equals(m.get("type"))).get("data"))
                    .containsKeys("peers", "total");

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> stats = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/api/stats")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stats.statusCode()).isEqualTo(200);
            Map<String, Object> body = (Map<String, Object>) Json.parse(stats.body());
            assertThat(body.get("connections")).isEqualTo(1L);
            assertThat((Map<String, Object>) body.get("streams")).containsKeys("network_metrics", "receipts");
            Map<String, Object> config = (Map<String, Object>) Json.parse(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/api/config")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(config).containsEntry("ws_port", (long) server.wsPort()).containsEntry("ws_path", "/ws");
            HttpResponse<String> metricsText = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metricsText.statusCode()).isEqualTo(200);
            assertThat(metricsText.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metricsText.body()).contains("\nblockbuster_hub_connections 1\n", "\nblockbuster_server_connections 1\n",
                    "\nblockbuster_stream_subscribers{stream=\"network_metrics\"} 1\n",
                    "# TYPE blockbuster_stream_published_total counter\n");

            server.close();
            assertThat(client.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void streamsSayWhenTheRealNodeIsDownAndRecover() throws Exception {
        try (FakeNode node = new FakeNode();
             DashboardServer server = DashboardServer.start(DashboardOptions.parse("--node", node.uri().toString(),
                     "--http-port", "0", "--ws-port", "0", "--speed", "10", "--rpc-timeout", "2000"))) {
            Client client = Client.connect(server.wsPort());
            client.send("{\"type\":\"subscribe\",\"stream\":\"network_metrics\"}");
            client.send("{\"type\":\"subscribe\",\"stream\":\"receipts\"}");
            client.next(m -> "network_metrics".equals(m.get("type"))
                    && "online".equals(((Map<String, Object>) m.get("data")).get("node_status")));

            node.stop();
            Map<String, Object> down = client.next(m -> "network_metrics".equals(m.get("type"))
                    && "unreachable".equals(((Map<String, Object>) m.get("data")).get("node_status")));
            assertThat((Map<String, Object>) down.get("data")).containsEntry("network_strength", 0L)
                    .containsEntry("block_height", 1000L).containsKey("node_error");
            client.next(m -> "receipts".equals(m.get("type"))
                    && "unreachable".equals(((Map<String, Object>) m.get("data")).get("node_status")));

            node.answer("blockchain_info", "{\"block_height\": 1010, \"finality_time\": 2.0, \"tps\": 70}");
            node.restart();
            Map<String, Object> back = client.next(m -> "network_metrics".equals(m.get("type"))
                    && "online".equals(((Map<String, Object>) m.get("data")).get("node_status")));
            assertThat((Map<String, Object>) back.get("data")).containsEntry("block_height", 1010L)
                    .doesNotContainKey("node_error");
        }
    }

    /**
     * As the original server did: state streams arrive every interval even when the node's answers
     * do not change (a fake node answers the same every time), and an unknown stream is an
     * {@code error} with the original's message and the stable code.
     */
    @Test
    @SuppressWarnings("unchecked")
    void stateStreamsKeepTheirCadenceAndUnknownStreamsGetTheOriginalsError() throws Exception {
        try (FakeNode node = new FakeNode();
             DashboardServer server = DashboardServer.start(DashboardOptions.parse("--node", node.uri().toString(),
                     "--http-port", "0", "--ws-port", "0", "--speed", "10"))) {
            Client client = Client.connect(URI.create("ws://127.0.0.1:" + server.wsPort()));
            client.send("{\"type\":\"subscribe\",\"stream\":\"nope\"}");
            assertThat(client.next(m -> "error".equals(m.get("type")))).containsEntry("message", "Invalid stream name")
                    .containsEntry("code", "unknown_stream").containsEntry("stream", "nope");
            client.send("{\"type\":\"subscribe\",\"stream\":\"peers\"}");
            Map<String, Object> first = client.next(m -> "peers".equals(m.get("type")));
            for (int i = 1; i <= 2; i++) {
                Map<String, Object> next = client.next(m -> "peers".equals(m.get("type")));
                assertThat(next.get("data")).as("the same peers again").isEqualTo(first.get("data"));
                assertThat((long) next.get("seq")).isEqualTo((long) first.get("seq") + i);
            }
        }
    }

    @Test
    void sigtermClosesClientsWith1001AndEndsTheProcess() throws Exception {
        int httpPort = LoopbackPorts.free();
        int wsPort = LoopbackPorts.free();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                DashboardServer.class.getName(), "--http-port", String.valueOf(httpPort),
                "--ws-port", String.valueOf(wsPort), "--speed", "10")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.contains("Ctrl-C")) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                throw new IllegalStateException("the server ended before it was ready");
            }, task -> new Thread(task, "child-output-reader").start()); // blocking: not the common pool
            ready.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Client client = Client.connect(wsPort);
            client.send("{\"type\":\"subscribe\",\"stream\":\"network_metrics\"}");
            client.next(m -> "network_metrics".equals(m.get("type")));

            long start = System.nanoTime();
            process.destroy();  // SIGTERM, like Ctrl-C runs the shutdown hook
            assertThat(client.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("process ended").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * The original system's clients connect at the root ({@code new WebSocket('ws://localhost:8080')},
     * websocat, Python's websockets) and its troubleshooting steps use curl there: the hub answers
     * at {@code /} as at {@code /ws}, and a plain GET there still gets 426.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theHubAnswersAtTheRootAsTheOriginalServerDid() throws Exception {
        try (DashboardServer server = DashboardServer.start(DashboardOptions.parse("--http-port", "0", "--ws-port", "0",
                "--speed", "10"))) {
            Client client = Client.connect(URI.create("ws://127.0.0.1:" + server.wsPort()));
            assertThat((List<Object>) client.next(m -> "welcome".equals(m.get("type"))).get("available_streams"))
                    .contains("network_metrics");
            client.send("{\"type\":\"subscribe\",\"stream\":\"network_metrics\"}");
            assertThat(client.next(m -> "subscribed".equals(m.get("type")))).containsEntry("stream", "network_metrics");
            assertThat((Map<String, Object>) client.next(m -> "network_metrics".equals(m.get("type"))).get("data"))
                    .containsKey("network_strength");

            assertThat(rawHttp(server.wsPort(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                    .startsWith("HTTP/1.1 426").containsIgnoringCase("upgrade");
            assertThat(rawHttp(server.wsPort(), "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"))
                    .startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }

    /** What the server answers to {@code request}, up to the end of its headers (as curl -i shows them). */
    private static String rawHttp(int port, String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            for (int b; head.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0; ) {
                head.append((char) b);
            }
            return head.toString();
        }
    }

    /** A JDK WebSocket client that queues every message parsed. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private WebSocket socket;

        static Client connect(int port) throws Exception {
            return connect(URI.create("ws://127.0.0.1:" + port + DashboardServer.WS_PATH));
        }

        static Client connect(URI uri) throws Exception {
            Client c = new Client();
            c.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                    .buildAsync(uri, c)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return c;
        }

        void send(String json) throws Exception {
            socket.sendText(json, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        Map<String, Object> next(java.util.function.Predicate<Map<String, Object>> wanted) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Map<String, Object> m = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("no wanted message within " + WAIT);
                }
                if (wanted.test(m)) {
                    return m;
                }
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add((Map<String, Object>) Json.parse(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
