package io.blockbuster.stream.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.HubLimits;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamCloseCodes;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketServer;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients of the hub over real sockets (raw, hand-framed): one that subscribes and never
 * reads, one that floods subscribe/unsubscribe. A well-behaved subscriber keeps receiving every
 * message meanwhile, and file descriptors, threads and heap come back afterwards.
 */
class HubHostileClientTest {
    private static final long WAIT_SECONDS = 30;

    private StreamHub hub;
    private WebSocketServer server;
    private final PushedSource ticks = new PushedSource();
    private long fdsBefore;
    private long threadsBefore;
    private long heapBefore;

    @BeforeEach
    void start() throws Exception {
        hub = StreamHub.builder().limits(HubLimits.DEFAULT).build();
        hub.register("ticks", ticks, StreamOptions.events().withQueueCapacity(256));
        hub.start();
        server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .eventLoops(2)
                .limits(WebSocketLimits.builder().maxSizes(StreamBinding.MAX_INBOUND_MESSAGE_BYTES,
                        StreamBinding.MAX_INBOUND_MESSAGE_BYTES).build())
                .handler("/ws", StreamBinding.listener(hub))
                .build();
        server.start();
        try (Raw warm = new Raw(server.port(), 0)) {
            warm.readText(); // welcome
        }
        await(() -> server.connectionCount() == 0, "warm-up connection released");
        fdsBefore = fdCount();
        threadsBefore = threadCount();
        heapBefore = heapAfterGc();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(5));
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void subscriberThatNeverReadsIsDisconnectedWhileAGoodOneGetsEveryMessage() throws Exception {
        byte[] filler = new byte[4096];
        java.util.Arrays.fill(filler, (byte) 'x');
        String payload = new String(filler, StandardCharsets.ISO_8859_1);
        try (Raw good = new Raw(server.port(), 0); Raw stuck = new Raw(server.port(), 4096)) {
            good.readText(); // welcome
            good.sendText("{\"type\":\"subscribe\",\"stream\":\"ticks\"}");
            assertThat(good.readText()).contains("\"subscribed\"");
            stuck.readText(); // welcome
            stuck.sendText("{\"type\":\"subscribe\",\"stream\":\"ticks\"}");
            assertThat(stuck.readText()).contains("\"subscribed\""); // and from here on it reads nothing

            AtomicInteger received = new AtomicInteger();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try {
                    while (received.get() < 20_000) {
                        String m = good.readText();
                        if (m.startsWith("{\"type\":\"ticks\"")) {
                            received.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Published no faster than the good subscriber takes them (at most 128 ahead of it),
            // so only the one that never reads can overflow its queue.
            int published = 0;
            while (hub.stats().slowConsumersDisconnected() == 0 && published < 20_000) {
                int ahead = published;
                await(() -> ahead - received.get() < 128 || reader.isDone(), "good subscriber keeps up");
                ticks.publish(Map.of("n", published, "pad", payload));
                published++;
            }
            assertThat(hub.stats().slowConsumersDisconnected()).as("stuck subscriber disconnected").isEqualTo(1);
            int total = published;
            await(() -> received.get() == total || reader.isDone(), () -> "good subscriber got everything: "
                    + received + " of " + total + ", " + hub.stats().toJson());
            assertThat(received.get()).isEqualTo(total);
            // The stuck one finds, under the backlog it never read, the 4000 close.
            assertThat(stuck.readUntilClose()).isEqualTo(StreamCloseCodes.SLOW_CONSUMER);
            reader.complete(null);
        }
        assertRecovered();
    }

    /**
     * The hub answers every request, rate-limited ones with a {@code rate_limited} error. A client
     * that bursts thousands of requests gets at most the bucket's burst plus its rate served; if
     * the error replies pile up faster than it reads them (more than maxPendingReplies), it is
     * closed with 4000 like any slow consumer. Either way other subscribers are unaffected.
     */
    @Test
    void subscribeUnsubscribeFloodIsRateLimitedAndOthersAreUnaffected() throws Exception {
        int requests = 5_000;
        try (Raw flood = new Raw(server.port(), 0); Raw good = new Raw(server.port(), 0)) {
            flood.readText(); // welcome
            good.readText();
            good.sendText("{\"type\":\"subscribe\",\"stream\":\"ticks\"}");
            assertThat(good.readText()).contains("\"subscribed\"");
            long started = System.nanoTime();
            int[] counts = new int[3]; // served, rate_limited, close code
            CompletableFuture<Void> replies = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        String r = flood.readText();
                        counts[r.contains("\"rate_limited\"") ? 1 : 0]++;
                    }
                } catch (Raw.Closed e) {
                    counts[2] = e.code;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < requests; i++) {
                burst.writeBytes(Raw.textFrame(i % 2 == 0 ? "{\"type\":\"subscribe\",\"stream\":\"ticks\"}"
                        : "{\"type\":\"unsubscribe\",\"stream\":\"ticks\"}"));
            }
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    flood.out.write(burst.toByteArray());
                    flood.out.flush();
                } catch (IOException closedMeanwhile) {
                    // the server may close a flooder that does not keep up with its replies
                }
            });
            // Meanwhile the good subscriber is served as usual.
            ticks.publish(Map.of("n", 1));
            assertThat(good.readText()).startsWith("{\"type\":\"ticks\"");
            replies.get(WAIT_SECONDS, TimeUnit.SECONDS);
            sent.get(WAIT_SECONDS, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat((double) counts[0]).as("served requests")
                    .isLessThanOrEqualTo(HubLimits.DEFAULT.maxRequestsPerSecond() * (1 + seconds) + 1);
            if (counts[2] != 0) {
                assertThat(counts[2]).isEqualTo(StreamCloseCodes.SLOW_CONSUMER);
            } else {
                assertThat(counts[0] + counts[1]).isEqualTo(requests);
                // Still up, and served again once the rate allows.
                await(() -> {
                    try {
                        flood.sendText("{\"type\":\"ping\"}");
                        return flood.readText().contains("\"pong\"");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, "served again after the flood");
            }
            ticks.publish(Map.of("n", 2));
            assertThat(good.readText()).startsWith("{\"type\":\"ticks\"");
        }
        assertRecovered();
    }

    private void assertRecovered() throws Exception {
        await(() -> server.connectionCount() == 0, "connections released");
        await(() -> hub.stats().connections() == 0, "hub connections released");
        await(() -> fdCount() <= fdsBefore + 10, "file descriptors back (" + fdsBefore + ")");
        await(() -> threadCount() <= threadsBefore + 2, "threads back (" + threadsBefore + ")");
        await(() -> heapAfterGc() <= heapBefore + (24L << 20), "heap back (" + heapBefore + ")");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WAIT_SECONDS + " s: " + what.get());
            }
            Thread.sleep(5); // polling a condition, not waiting for time to pass
        }
    }

    private static long fdCount() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long threadCount() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
    }

    private static long heapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** A hand-driven client: upgrade, masked text frames out (zero key), unmasked frames in. */
    private static final class Raw implements AutoCloseable {
        final Socket socket = new Socket();
        final OutputStream out;
        final DataInputStream in;

        Raw(int port, int receiveBuffer) throws IOException {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
            out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            int matched = 0;
            StringBuilder head = new StringBuilder();
            while (matched < 4) {
                int b = in.readUnsignedByte();
                head.append((char) b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("not upgraded: " + head);
            }
        }

        /** The server closed the connection with this code. */
        static final class Closed extends IOException {
            private static final long serialVersionUID = 1L;
            final int code;

            Closed(int code) {
                super("closed: " + code);
                this.code = code;
            }
        }

        static byte[] textFrame(String text) {
            byte[] p = text.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x81);
            if (p.length < 126) {
                f.write(0x80 | p.length);
            } else {
                f.write(0x80 | 126);
                f.write(p.length >>> 8);
                f.write(p.length);
            }
            f.writeBytes(new byte[4]); // a zero mask key leaves the payload as it is
            f.writeBytes(p);
            return f.toByteArray();
        }

        void sendText(String text) throws IOException {
            out.write(textFrame(text));
            out.flush();
        }

        /** The next text message (control frames skipped); fails on a close. */
        String readText() throws IOException {
            while (true) {
                int b0 = in.readUnsignedByte();
                byte[] payload = readPayload();
                int opcode = b0 & 0x0F;
                if (opcode == 1) {
                    return new String(payload, StandardCharsets.UTF_8);
                }
                if (opcode == 8) {
                    throw new Closed(closeCode(payload));
                }
            }
        }

        int readUntilClose() throws IOException {
            while (true) {
                int b0 = in.readUnsignedByte();
                byte[] payload = readPayload();
                if ((b0 & 0x0F) == 8) {
                    return closeCode(payload);
                }
            }
        }

        private byte[] readPayload() throws IOException {
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            return payload;
        }

        private static int closeCode(byte[] p) {
            return p.length < 2 ? 1005 : ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
