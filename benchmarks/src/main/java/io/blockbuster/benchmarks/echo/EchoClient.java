package io.blockbuster.benchmarks.echo;

import io.blockbuster.benchmarks.fanout.LatencyHistogram;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketListener;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of {@link EchoBenchmark}, run in a JVM of its own: N connections with our
 * client, closed loop with exactly one message in flight per connection (send, wait for the echo,
 * send the next). Measures round trips and their latency over the window after the warmup, and the
 * CPU used in that window by itself and by the server process (given by pid), so a saturated client
 * is visible. Prints one {@code result key=value ...} line.
 *
 * <pre>
 * java -cp benchmarks.jar io.blockbuster.benchmarks.echo.EchoClient PORT CONNECTIONS SIZE SECONDS WARMUP LOOPS SERVER_PID
 * </pre>
 */
public final class EchoClient {

    private EchoClient() {
    }

    static final class Connection implements WebSocketListener {
        final ByteBuffer message;
        final LatencyHistogram histogram = new LatencyHistogram();
        volatile boolean measuring;
        volatile boolean stopped;
        /** Completes with the first echo after {@link #stopped}: nothing is in flight any more. */
        final CompletableFuture<Void> quiet = new CompletableFuture<>();
        long sentAt;
        long roundTrips;

        Connection(ByteBuffer message) {
            this.message = message;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            sentAt = System.nanoTime();
            webSocket.sendBinary(message.duplicate());
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            long now = System.nanoTime();
            if (measuring) {
                roundTrips++;
                histogram.record(now - sentAt);
            }
            if (!stopped) {
                sentAt = now;
                webSocket.sendBinary(message.duplicate());
            } else {
                quiet.complete(null);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int loops = Integer.parseInt(args[5]);
        ProcessHandle server = ProcessHandle.of(Long.parseLong(args[6])).orElseThrow();

        byte[] payload = new byte[size];
        new Random(1).nextBytes(payload);
        ByteBuffer message = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        List<Connection> conns = new ArrayList<>();
        try (WebSocketClient client = WebSocketClient.builder().eventLoops(loops).build()) {
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Connection c = new Connection(message);
                conns.add(c);
                opening.add(client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), c));
            }
            CompletableFuture.allOf(opening.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            conns.forEach(c -> c.measuring = true);
            long cpu0 = cpuNanos(ProcessHandle.current());
            long serverCpu0 = cpuNanos(server);
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            conns.forEach(c -> c.measuring = false);
            long elapsedNanos = System.nanoTime() - start;
            long cpu = cpuNanos(ProcessHandle.current()) - cpu0;
            long serverCpu = cpuNanos(server) - serverCpu0;
            conns.forEach(c -> c.stopped = true);
            // Each connection has one message in flight: its echo ends it, and the future makes the
            // counters the loop thread wrote visible here.
            CompletableFuture.allOf(conns.stream().map(c -> c.quiet).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
            long total = 0;
            LatencyHistogram merged = new LatencyHistogram();
            for (Connection c : conns) {
                total += c.roundTrips;
                merged.add(c.histogram);
            }
            double elapsed = elapsedNanos / 1e9;
            System.out.printf(Locale.ROOT, "result rtps=%.0f p50=%.3f p99=%.3f p999=%.3f max=%.3f"
                            + " clientCpu=%.0f%% serverCpu=%.0f%% seconds=%.1f%n",
                    total / elapsed, merged.valueAt(0.5) / 1e6, merged.valueAt(0.99) / 1e6,
                    merged.valueAt(0.999) / 1e6, merged.max() / 1e6,
                    100.0 * cpu / elapsedNanos, 100.0 * serverCpu / elapsedNanos, elapsed);
        }
        System.exit(0);
    }

    /** CPU time used so far by {@code p} (user + system, all threads), from the OS. */
    private static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
