package io.blockbuster.benchmarks.fanout;

import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measuring side of the fan-out benchmark: opens N connections with our own client, subscribes
 * each to the {@code bench} stream, and measures, for every message published during the window,
 * the end-to-end latency ({@code System.nanoTime()} at receipt minus the {@code "t"} the server put
 * in at publish; both processes must run on the same machine) and whether every connection got it
 * (the server numbers messages with {@code "seq"}).
 *
 * <pre>
 * fanout-client --url ws://127.0.0.1:PORT/ws --connections N --seconds D [--warmup W] [--loops L]
 * </pre>
 */
public final class FanoutClient {

    /** What the client is told to do; connection i goes to {@code urls[i % urls.size()]} (cluster nodes). */
    record Config(List<URI> urls, int connections, int seconds, int warmupSeconds, int eventLoops, String stream,
                  int connectConcurrency) {
    }

    /** What it measured. */
    record Result(int connections, int opened, int failed, int closedEarly, long received, long expected, long lost,
                  long arrivedInWindow, double seconds, LatencyHistogram latency, long firstSeq, long lastSeq, long clientCpuNanos,
                  double connectSeconds, int messageChars, long resyncs, int resynced, long told) {

        double deliveredPerSecond() {
            return received / seconds;
        }

        String report() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "connections        %d opened, %d failed, %d closed early (connect took %.1f s)%n",
                    opened, failed, closedEarly, connectSeconds));
            out.append(String.format(Locale.ROOT, "window             %.1f s, messages seq %d..%d (%d published)%n",
                    seconds, firstSeq, lastSeq, lastSeq < firstSeq ? 0 : lastSeq - firstSeq + 1));
            out.append(String.format(Locale.ROOT, "message            %d chars of JSON text per delivery%n", messageChars));
            out.append(String.format(Locale.ROOT, "delivered          %d of %d expected = %.0f msg/s%n",
                    received, expected, deliveredPerSecond()));
            out.append(String.format(Locale.ROOT, "arrived            %d during the window = %.0f msg/s (what the server sustained;"
                    + " 'delivered' counts what was published in the window, whenever it arrived)%n",
                    arrivedInWindow, arrivedInWindow / seconds));
            out.append(String.format(Locale.ROOT, "lost               %d (not delivered, and not told by a resync notice)%n", lost));
            out.append(String.format(Locale.ROOT, "resync             %d notices to %d connections, telling %d messages of the window not sent%n",
                    resyncs, resynced, told));
            out.append(String.format(Locale.ROOT, "latency ms         p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                    ms(latency.valueAt(0.50)), ms(latency.valueAt(0.99)), ms(latency.valueAt(0.999)), ms(latency.max())));
            out.append(String.format(Locale.ROOT, "client cpu         %.2f cores%n", clientCpuNanos / (seconds * 1e9)));
            return out.toString();
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    private final Config config;
    private final Queue<LatencyHistogram> histograms = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<LatencyHistogram> histogram = ThreadLocal.withInitial(() -> {
        LatencyHistogram h = new LatencyHistogram();
        histograms.add(h);
        return h;
    });
    final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closedEarly = new AtomicInteger();
    private final AtomicLong lastArrival = new AtomicLong();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private volatile boolean done;
    private volatile int sampleLength;
    private WebSocketClient client;

    FanoutClient(Config config) {
        this.config = config;
    }

    /** One connection's view of the stream; called only from the connection's event loop. */
    private final class Subscriber implements WebSocketListener {
        long count;
        /** Data messages that arrived during the window, whenever they were published. */
        long arrived;
        long firstSeq = Long.MAX_VALUE;
        long lastSeq = Long.MIN_VALUE;
        long gaps;
        long previousSeq = -1;
        long resyncs;
        /** The hub's resync notices as (since, first_seq) pairs, in the hub's seqs. */
        long[] told = new long[0];
        /** The hub's seq minus the benchmark's own {@code seq} in the data (they count from different starts). */
        long hubSeqOffset = Long.MIN_VALUE;
        volatile boolean seen;
        volatile WebSocket socket;

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.sendText("{\"type\":\"subscribe\",\"stream\":\"" + config.stream() + "\"}");
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            long now = System.nanoTime();
            if (!seen) {
                seen = true;
            }
            long t = field(text, "\"t\":");
            long seq = field(text, "\"seq\":");
            if (t == Long.MIN_VALUE || seq == Long.MIN_VALUE) {
                if (text.startsWith("{\"type\":\"resync\"")) { // the hub tells of messages it did not send
                    resyncs++;
                    told = Arrays.copyOf(told, told.length + 2);
                    told[told.length - 2] = field(text, "\"since\":");
                    told[told.length - 1] = field(text, "\"first_seq\":");
                }
                return; // a control message of the stream protocol (subscribed, error, ...)
            }
            if (hubSeqOffset == Long.MIN_VALUE) {
                int at = text.lastIndexOf("\"seq\":"); // the hub's envelope, after the data (none: raw modes)
                hubSeqOffset = field(text.substring(at), "\"seq\":") - seq;
            }
            if (previousSeq >= 0 && seq > previousSeq + 1) {
                gaps += seq - previousSeq - 1;
            }
            previousSeq = seq;
            if (now >= windowStart && now < windowEnd) {
                arrived++;
            }
            if (sampleLength == 0) {
                sampleLength = text.length();
            }
            if (t < windowStart || t >= windowEnd) {
                return;
            }
            count++;
            if (seq < firstSeq) {
                firstSeq = seq;
            }
            if (seq > lastSeq) {
                lastSeq = seq;
            }
            histogram.get().record(now - t);
            lastArrival.lazySet(now);
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status, boolean closedByPeer) {
            if (!done) {
                closedEarly.incrementAndGet();
                if (closedEarly.get() <= 5) {
                    System.err.println("connection closed early: " + status + " by peer " + closedByPeer);
                }
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (failed.get() + closedEarly.get() < 5) {
                System.err.println("connection error: " + error);
            }
        }
    }

    /** The decimal number after {@code key} in {@code text}, or Long.MIN_VALUE. No allocation. */
    static long field(String text, String key) {
        int i = text.indexOf(key);
        if (i < 0) {
            return Long.MIN_VALUE;
        }
        i += key.length();
        int n = text.length();
        boolean negative = i < n && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < n; i++, digits++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        if (digits == 0) {
            return Long.MIN_VALUE;
        }
        return negative ? -value : value;
    }

    /** Opens every connection, waiting for each handshake; returns the seconds it took. */
    double connect() throws InterruptedException {
        WebSocketLimits limits = WebSocketLimits.builder().maxConnections(Math.max(config.connections(), 1))
                .maxSizes(1 << 20, 1 << 20).build();
        client = WebSocketClient.builder().eventLoops(config.eventLoops()).limits(limits)
                .connectTimeout(Duration.ofSeconds(30)).handshakeTimeout(Duration.ofSeconds(30)).build();
        long start = System.nanoTime();
        Semaphore inFlight = new Semaphore(config.connectConcurrency());
        for (int i = 0; i < config.connections(); i++) {
            inFlight.acquire();
            Subscriber subscriber = new Subscriber();
            subscribers.add(subscriber);
            client.connect(config.urls().get(i % config.urls().size()), subscriber).whenComplete((ws, error) -> {
                if (error != null) {
                    if (failed.incrementAndGet() <= 5) {
                        System.err.println("connect failed: " + error);
                    }
                } else {
                    opened.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(config.connectConcurrency());
        inFlight.release(config.connectConcurrency());
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Waits until every open connection has seen a first message (a subscription answer or data),
     * or {@code timeout} passes.
     */
    void awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int ready = 0;
            for (Subscriber s : subscribers) {
                if (s.seen) {
                    ready++;
                }
            }
            if (ready >= opened.get()) {
                return;
            }
            Thread.sleep(100);
        }
        System.err.println("not every connection saw a first message within " + timeout);
    }

    /** Measures one window of {@code seconds} after {@code warmup} seconds; then waits for stragglers. */
    Result measure(double connectSeconds) throws InterruptedException {
        return measure(connectSeconds, () -> { }, () -> { });
    }

    /**
     * As {@link #measure(double)}, calling {@code atStart} when the window opens and {@code atEnd}
     * when it closes (the launcher samples the server's CPU time there).
     */
    Result measure(double connectSeconds, Runnable atStart, Runnable atEnd) throws InterruptedException {
        long now = System.nanoTime();
        long start = now + TimeUnit.SECONDS.toNanos(config.warmupSeconds());
        long end = start + TimeUnit.SECONDS.toNanos(config.seconds());
        windowStart = start;
        windowEnd = end;
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(start - System.nanoTime()));
        long cpuStart = ProcessStats.processCpuNanos();
        atStart.run();
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        long cpuEnd = ProcessStats.processCpuNanos();
        atEnd.run();
        // Messages published before the end may still be on their way: wait until none arrived for
        // one second (at most 30 s). Whatever has not arrived by then counts as lost. A server that
        // is more than the window behind has delivered none of them yet: keep waiting for it too.
        long graceDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < graceDeadline) {
            Thread.sleep(250);
            long last = lastArrival.get();
            if (last != 0 && System.nanoTime() - last > TimeUnit.SECONDS.toNanos(1)) {
                break;
            }
        }
        done = true;
        long received = 0;
        long arrived = 0;
        long firstSeq = Long.MAX_VALUE;
        long lastSeq = Long.MIN_VALUE;
        for (Subscriber s : subscribers) {
            received += s.count;
            arrived += s.arrived;
            firstSeq = Math.min(firstSeq, s.firstSeq);
            lastSeq = Math.max(lastSeq, s.lastSeq);
        }
        long perConnection = lastSeq < firstSeq ? 0 : lastSeq - firstSeq + 1;
        long expected = perConnection * opened.get();
        long resyncs = 0;
        int resynced = 0;
        long told = 0;
        for (Subscriber s : subscribers) {
            resyncs += s.resyncs;
            resynced += s.resyncs > 0 ? 1 : 0;
            for (int i = 0; s.hubSeqOffset != Long.MIN_VALUE && i < s.told.length; i += 2) {
                // Not sent: since + 1 .. first_seq - 1 in the hub's seqs; counted within the window's seqs.
                long from = Math.max(s.told[i] + 1 - s.hubSeqOffset, firstSeq);
                long to = Math.min(s.told[i + 1] - 1 - s.hubSeqOffset, lastSeq);
                told += Math.max(0, to - from + 1);
            }
        }
        LatencyHistogram merged = new LatencyHistogram();
        for (LatencyHistogram h : histograms) {
            merged.add(h);
        }
        return new Result(config.connections(), opened.get(), failed.get(), closedEarly.get(), received, expected,
                expected - received - told, arrived, config.seconds(), merged, firstSeq, lastSeq, cpuEnd - cpuStart, connectSeconds,
                sampleLength, resyncs, resynced, told);
    }

    void close() {
        done = true;
        if (client != null) {
            client.close();
        }
    }

    static Config parse(String[] args) {
        URI url = URI.create("ws://127.0.0.1:8080/ws");
        int connections = 1000;
        int seconds = 10;
        int warmup = 5;
        int loops = Runtime.getRuntime().availableProcessors();
        String stream = "bench";
        int concurrency = 500;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--url" -> url = URI.create(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--loops" -> loops = Integer.parseInt(value);
                case "--stream" -> stream = value;
                case "--connect-concurrency" -> concurrency = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: --url ws://127.0.0.1:PORT/ws --connections N --seconds D [--warmup W] [--loops L]"
                        + " [--stream bench] [--connect-concurrency C]");
            }
            i++;
        }
        return new Config(List.of(url), connections, seconds, warmup, loops, stream, concurrency);
    }

    private static void marker(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Config config = parse(args);
        FanoutClient client = new FanoutClient(config);
        try {
            double connectSeconds = client.connect();
            System.out.printf(Locale.ROOT, "connected %d of %d in %.1f s%n", client.opened.get(), config.connections(), connectSeconds);
            client.awaitSubscribed(Duration.ofSeconds(60));
            // Markers for scripts that sample the server's CPU time over exactly the window
            // (fanout-compare.sh reads /proc/<server pid>/stat when it sees them).
            Result result = client.measure(connectSeconds, () -> marker("WINDOW START"), () -> marker("WINDOW END"));
            System.out.print(result.report());
        } finally {
            client.close();
        }
    }
}
