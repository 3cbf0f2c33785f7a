package io.blockbuster.examples.autobahn;

import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.deflate.PerMessageDeflate;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs every case of an Autobahn|Testsuite fuzzing server against our client: asks
 * {@code /getCaseCount}, then for each case connects to {@code /runCase?case=N&agent=NAME} and echoes
 * every message until the server closes, then asks {@code /updateReports?agent=NAME} to write the
 * report.
 *
 * <pre>
 * java -cp ... io.blockbuster.examples.autobahn.AutobahnClient [--url ws://127.0.0.1:9001] [--agent blockbuster]
 * </pre>
 */
public final class AutobahnClient {

    private AutobahnClient() {
    }

    /**
     * Runs the suite.
     *
     * @param args {@code --url} (default ws://127.0.0.1:9001) and {@code --agent} (default blockbuster)
     */
    public static void main(String[] args) throws Exception {
        String url = "ws://127.0.0.1:9001";
        String agent = "blockbuster";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--url") && i + 1 < args.length) {
                url = args[++i];
            } else if (args[i].equals("--agent") && i + 1 < args.length) {
                agent = args[++i];
            } else {
                System.err.println("usage: AutobahnClient [--url ws://host:port] [--agent NAME]");
                System.exit(2);
            }
        }
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String agentParam = URLEncoder.encode(agent, StandardCharsets.UTF_8);
        WebSocketLimits limits = WebSocketLimits.builder()
                .maxSizes(16 << 20, 16 << 20)
                .writeBuffer(1 << 20, 4 << 20, 64 << 20)
                .ping(Duration.ZERO, Duration.ofSeconds(10))
                .build();
        try (WebSocketClient client = WebSocketClient.builder().limits(limits)
                .permessageDeflate(PerMessageDeflate.withDefaults()).build()) {
            int count = Integer.parseInt(fetchText(client, URI.create(base + "/getCaseCount")).trim());
            System.out.println("cases: " + count);
            for (int n = 1; n <= count; n++) {
                URI uri = URI.create(base + "/runCase?case=" + n + "&agent=" + agentParam);
                CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
                try {
                    client.connect(uri, new Echo(closed)).get(30, TimeUnit.SECONDS);
                    closed.get(120, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // a refused handshake is a valid outcome for some cases; the report says what happened
                    System.out.println("case " + n + ": " + e);
                }
                if (n % 50 == 0) {
                    System.out.println("ran " + n + " of " + count);
                }
            }
            CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
            client.connect(URI.create(base + "/updateReports?agent=" + agentParam), new Echo(closed))
                    .get(30, TimeUnit.SECONDS);
            closed.get(60, TimeUnit.SECONDS);
            System.out.println("reports updated");
        }
    }

    /** Reads the single text message the server sends on {@code uri}, then waits for its close. */
    private static String fetchText(WebSocketClient client, URI uri) throws Exception {
        CompletableFuture<String> text = new CompletableFuture<>();
        CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        client.connect(uri, new WebSocketListener() {
            @Override
            public void onText(WebSocket ws, String message) {
                text.complete(message);
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
                closed.complete(status);
                text.completeExceptionally(new IllegalStateException("closed without a message: " + status));
            }
        }).get(30, TimeUnit.SECONDS);
        String result = text.get(30, TimeUnit.SECONDS);
        closed.get(30, TimeUnit.SECONDS);
        return result;
    }

    /** Echoes every message; completes {@code closed} at the end. */
    private static final class Echo implements WebSocketListener {
        private final CompletableFuture<CloseStatus> closed;

        Echo(CompletableFuture<CloseStatus> closed) {
            this.closed = closed;
        }

        @Override
        public void onText(WebSocket ws, String text) {
            ws.sendText(text);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            ws.sendBinary(ByteBuffer.allocate(data.remaining()).put(data).flip());
        }

        @Override
        public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
            closed.complete(status);
        }
    }
}
