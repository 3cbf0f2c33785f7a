package io.blockbuster.stream.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.HubLimits;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamCloseCodes;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.testsupport.Await;
import io.blockbuster.websocket.WebSocketServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    /**
     * Blocking socket work runs on a thread of its own: the common ForkJoinPool may have a single
     * worker (JDK 25 on 2 cores), and a reader and a writer queued there wait on each other.
     */
    private static final Executor OWN_THREAD = task -> {
        Thread t = new Thread(task, "hostile-client-test");
        t.setDaemon(true);
        t.start();
    };

    private StreamHub hub;
    private WebSocketServer server;
    private final PushedSource ticks = new PushedSource();
    private long fdsBefore;
    private long threadsBefore;
    private long heapBefore;

    @BeforeEach
    void start() throws Exception {
        hub = StreamHub.builder().limits(HubLimits.DEFAULT).build();
        // The good subscriber must get every message: a loop stalled past the default maxDeliveryLag on a
        // loaded box would skip some (and tell it with a resync), which is not what these tests are about.
        hub.register("ticks", ticks, StreamOptions.events().withQueueCapacity(256).withMaxDeliveryLag(Duration.ofMinutes(1)));
        hub.start();
        server = LoopbackHubServer.serve(hub, ws -> { });
        try (RawClient warm = new RawClient(server.port(), 0)) {
            warm.readText(); // welcome
        }
        Await.until(() -> server.connectionCount() == 0, "warm-up connection released");
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
        try (RawClient good = new RawClient(server.port(), 0); RawClient stuck = new RawClient(server.port(), 4096)) {
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
            }, OWN_THREAD);
            // Published no faster than the good subscriber takes them (at most 128 ahead of it),
            // so only the one that never reads can overflow its queue.
            int published = 0;
            while (hub.stats().slowConsumersDisconnected() == 0 && published < 20_000) {
                int ahead = published;
                Await.until(() -> ahead - received.get() < 128 || reader.isDone(), "good subscriber keeps up");
                ticks.publish(Map.of("n", published, "pad", payload));
                published++;
            }
            assertThat(hub.stats().slowConsumersDisconnected()).as("stuck subscriber disconnected").isEqualTo(1);
            int total = published;
            Await.until(() -> received.get() == total || reader.isDone(), () -> "good subscriber got everything: "
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
        try (RawClient flood = new RawClient(server.port(), 0); RawClient good = new RawClient(server.port(), 0)) {
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
                } catch (RawClient.Closed e) {
                    counts[2] = e.code;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, OWN_THREAD);
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < requests; i++) {
                burst.writeBytes(RawClient.textFrame(i % 2 == 0 ? "{\"type\":\"subscribe\",\"stream\":\"ticks\"}"
                        : "{\"type\":\"unsubscribe\",\"stream\":\"ticks\"}"));
            }
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    flood.out.write(burst.toByteArray());
                    flood.out.flush();
                } catch (IOException closedMeanwhile) {
                    // the server may close a flooder that does not keep up with its replies
                }
            }, OWN_THREAD);
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
                Await.until(() -> {
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
        Await.until(() -> server.connectionCount() == 0, "connections released");
        Await.until(() -> hub.stats().connections() == 0, "hub connections released");
        Await.until(() -> fdCount() <= fdsBefore + 10, "file descriptors back (" + fdsBefore + ")");
        Await.until(() -> threadCount() <= threadsBefore + 2, "threads back (" + threadsBefore + ")");
        Await.until(() -> heapAfterGc() <= heapBefore + (24L << 20), "heap back (" + heapBefore + ")");
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
}
