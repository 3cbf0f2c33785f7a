package io.blockbuster.benchmarks.fanout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The serving side of the fan-out benchmark: a server with a {@code bench} stream that publishes
 * one message of about S bytes R times a second. Every message is a JSON object
 * {@code {"seq":N,"t":T,"pad":"..."}} where {@code t} is {@code System.nanoTime()} at publish, so a
 * client on the same machine can compute end-to-end latency, and {@code seq} numbers messages so it
 * can count losses. Prints {@code READY <port>} once listening.
 *
 * <pre>
 * fanout-server --port P --rate R --size S [--paused] [--mode hub|raw|group|netty|netty-loop|cluster] [--loops L] [--max-connections M]
 *               [--redis URI --nodes N]
 * </pre>
 *
 * <p>Commands on standard input (used by {@link FanoutBenchmark}; a line each, one answer line):
 * {@code start} / {@code pause} publishing, {@code stats} / {@code stats-gc} (heap, RSS, CPU time),
 * {@code subscribers}, {@code quit}. Without {@code --paused} it publishes from the start.
 *
 * <p>Modes: {@code hub} (default) serves the stream through StreamHub and its WebSocket binding,
 * which is what an application uses; {@code raw} keeps its own subscriber set on the bare transport
 * and sends one {@code PreparedMessage} to each, isolating the transport's share of the cost;
 * {@code group} is the same through a {@code WebSocketGroup} (the broadcast API the docs recommend);
 * {@code netty} is the same subscriber set and messages on a plain Netty server (a yardstick, see
 * docs/yardsticks.md; {@code --max-connections} does not apply), {@code netty-loop} the same with
 * one write task per event loop instead of one per channel. {@code cluster} runs N hub nodes in this
 * JVM, each with its own server and a RedisEngine on {@code --redis}, and publishes on the first
 * (READY lists every node's port); the client spreads its connections over them.
 */
public final class FanoutServer {

    /** The server under test, whichever way it is built. */
    interface ServerUnderTest extends AutoCloseable {
        int port();

        int subscribers();

        /** Publishes one JSON object (the stream's data) to every subscriber. */
        void publish(String json);

        /** Messages the server counted as not sent by its overload policy (the hub's {@code shed}); -1 if it does not count. */
        default long shed() {
            return -1;
        }

        @Override
        void close();
    }

    private final ServerUnderTest fanout;
    private final int rate;
    private final int size;
    private final AtomicLong seq = new AtomicLong();
    /** Publishes that started no later than one period after their scheduled time. */
    private final AtomicLong onTime = new AtomicLong();
    /** {@code seq} when publishing last started. */
    private volatile long startSeq;
    private volatile boolean publishing;
    private volatile boolean stopped;

    private FanoutServer(ServerUnderTest fanout, int rate, int size) {
        this.fanout = fanout;
        this.rate = rate;
        this.size = size;
    }

    /** The message for one publish: exactly {@code size} bytes when size allows. */
    static String message(long seq, long t, int size) {
        StringBuilder json = new StringBuilder(Math.max(64, size + 8));
        json.append("{\"seq\":").append(seq).append(",\"t\":").append(t).append(",\"pad\":\"");
        int padding = size - json.length() - 2;
        for (int i = 0; i < padding; i++) {
            json.append('x');
        }
        return json.append("\"}").toString();
    }

    /** Publishes at a fixed rate on its own thread; a late tick publishes at once, it never bursts. */
    private void publishLoop() {
        long period = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
        long next = System.nanoTime();
        while (!stopped) {
            if (!publishing) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                next = System.nanoTime();
                continue;
            }
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            if (now - next <= period) {
                onTime.incrementAndGet();
            }
            fanout.publish(message(seq.getAndIncrement(), System.nanoTime(), size));
            next += period;
            if (System.nanoTime() - next > TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // fell behind by a second: do not try to catch up in a burst
            }
        }
    }

    private void commands() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "start" -> {
                    onTime.set(0);
                    startSeq = seq.get();
                    publishing = true;
                    System.out.println("STARTED");
                }
                case "pause" -> {
                    publishing = false;
                    System.out.println("PAUSED published=" + (seq.get() - startSeq) + " ontime=" + onTime.get() + " shed=" + fanout.shed());
                }
                case "stats" -> System.out.println("STATS " + ProcessStats.sample().toLine());
                case "stats-gc" -> System.out.println("STATS " + ProcessStats.sampleAfterGc().toLine());
                case "subscribers" -> System.out.println("SUBSCRIBERS " + fanout.subscribers());
                case "quit" -> {
                    return;
                }
                default -> System.out.println("ERROR unknown command " + line);
            }
        }
        // Standard input closed (run by hand in the background): keep serving until killed.
        Thread.currentThread().join();
    }

    public static void main(String[] args) throws Exception {
        int port = 8080;
        int rate = 10;
        int size = 256;
        boolean paused = false;
        String mode = "hub";
        int loops = Runtime.getRuntime().availableProcessors();
        int maxConnections = 25_000;
        String redis = null;
        int nodes = 3;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--size" -> size = Integer.parseInt(value);
                case "--mode" -> mode = value;
                case "--loops" -> loops = Integer.parseInt(value);
                case "--max-connections" -> maxConnections = Integer.parseInt(value);
                case "--redis" -> redis = value;
                case "--nodes" -> nodes = Integer.parseInt(value);
                case "--paused" -> {
                    paused = true;
                    i--;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: --port P --rate R --size S [--paused] [--mode hub|raw|group|netty|netty-loop|cluster]"
                        + " [--loops L] [--max-connections M] [--redis URI --nodes N]");
            }
            i++;
        }
        ServerUnderTest fanout = switch (mode) {
            case "raw" -> RawFanout.start(port, loops, maxConnections, false);
            case "group" -> RawFanout.start(port, loops, maxConnections, true);
            case "hub" -> HubFanout.start(port, loops, maxConnections);
            case "cluster" -> ClusterFanout.start(redis, nodes, loops, maxConnections);
            case "netty" -> NettyFanout.start(port, loops, false);
            case "netty-loop" -> NettyFanout.start(port, loops, true);
            default -> throw new IllegalArgumentException("mode: hub, raw, group, netty, netty-loop or cluster");
        };
        FanoutServer server = new FanoutServer(fanout, rate, size);
        server.publishing = !paused;
        Thread publisher = new Thread(server::publishLoop, "fanout-publisher");
        publisher.setDaemon(true);
        publisher.start();
        System.out.println("READY " + (fanout instanceof ClusterFanout c ? c.ports() : Integer.toString(fanout.port())));
        System.out.flush();
        try {
            server.commands();
        } finally {
            server.stopped = true;
            fanout.close();
        }
        System.exit(0);
    }
}
