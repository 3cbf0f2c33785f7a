package io.blockbuster.benchmarks.fanout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The whole fan-out benchmark in one command: starts {@link FanoutServer} as a child JVM (so its
 * heap, RSS and CPU are the server's alone), opens N connections with {@link FanoutClient} in this
 * JVM, measures the idle footprint per connection, then has the server publish S-byte messages at
 * R/s for D seconds and reports throughput, latency, loss and CPU.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.blockbuster.benchmarks.fanout.FanoutBenchmark \
 *      --connections 10000 --rate 10 --size 256 --seconds 30 [--warmup 5] [--idle 5] [--mode hub|raw|group|netty]
 *      [--server-jvm "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"] [--server-loops 2] [--client-loops 2]
 * </pre>
 *
 * <p>Footprint per idle connection: heap used after a full GC, and RSS growth, both divided by the
 * number of subscribed connections. The default server heap is fixed and pre-touched, so its pages
 * are resident before the first connection and the RSS growth is the native memory alone (sockets'
 * JDK structures, selector registrations); per connection the total is heap + native RSS. With a
 * growable heap the RSS growth would mostly measure how far G1 expanded its young generation.
 */
public final class FanoutBenchmark {

    private final Process server;
    private final BufferedReader fromServer;
    private final PrintWriter toServer;

    private FanoutBenchmark(Process server) {
        this.server = server;
        this.fromServer = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        this.toServer = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Sends a command to the server and returns the first line it answers that starts with {@code prefix}. */
    private synchronized String ask(String command, String prefix) {
        toServer.println(command);
        return await(prefix);
    }

    private String await(String prefix) {
        try {
            String line;
            while ((line = fromServer.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
                System.out.println("[server] " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("server exited before answering " + prefix);
    }

    private ProcessStats stats(boolean gc) {
        return ProcessStats.parse(ask(gc ? "stats-gc" : "stats", "STATS"));
    }

    private int subscribers() {
        return Integer.parseInt(ask("subscribers", "SUBSCRIBERS"));
    }

    public static void main(String[] args) throws Exception {
        int connections = 1000;
        int rate = 10;
        int size = 256;
        int seconds = 30;
        int warmup = 5;
        int idle = 5;
        int serverLoops = Runtime.getRuntime().availableProcessors();
        int clientLoops = Runtime.getRuntime().availableProcessors();
        String serverJvm = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch";
        String mode = "hub";
        int nodes = 3;
        if (args.length == 0 || args.length % 2 != 0) {
            exitWithUsage(args.length == 0 ? null : "every option takes one value");
        }
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            try {
                switch (args[i]) {
                    case "--connections" -> connections = Integer.parseInt(value);
                    case "--rate" -> rate = Integer.parseInt(value);
                    case "--size" -> size = Integer.parseInt(value);
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--idle" -> idle = Integer.parseInt(value);
                    case "--server-jvm" -> serverJvm = value;
                    case "--mode" -> mode = value;
                    case "--server-loops" -> serverLoops = Integer.parseInt(value);
                    case "--client-loops" -> clientLoops = Integer.parseInt(value);
                    case "--nodes" -> nodes = Integer.parseInt(value);
                    default -> exitWithUsage("unknown option " + args[i]);
                }
            } catch (NumberFormatException e) {
                exitWithUsage(args[i] + " needs a number: " + value);
            }
        }

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : serverJvm.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FanoutServer.class.getName(),
                "--port", "0", "--mode", mode, "--rate", String.valueOf(rate), "--size", String.valueOf(size), "--paused",
                "--loops", String.valueOf(serverLoops), "--max-connections", String.valueOf(connections + 100)));
        // Cluster mode: a redis-server of our own (persistence off), and the server JVM runs the nodes.
        RedisProcess redis = mode.equals("cluster") ? RedisProcess.start() : null;
        if (redis != null) {
            command.addAll(List.of("--redis", redis.uri(), "--nodes", String.valueOf(nodes)));
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        FanoutBenchmark bench = new FanoutBenchmark(process);
        FanoutClient client = null;
        try {
            List<URI> urls = new ArrayList<>();
            for (String p : bench.await("READY").split("\\s+")) {
                urls.add(URI.create("ws://127.0.0.1:" + p + "/ws"));
            }
            int port = urls.get(0).getPort();
            System.out.printf(Locale.ROOT, "%s server pid %d on port %d (%s), %d connections, %d msg/s of %d B for %d s%s%n",
                    mode, process.pid(), port, serverJvm, connections, rate, size, seconds,
                    redis == null ? "" : ", " + urls.size() + " nodes (publisher on the first) via " + redis.uri());
            System.out.println("load average at start: " + loadAverage());
            ProcessStats base = bench.stats(true);

            client = new FanoutClient(new FanoutClient.Config(urls, connections,
                    seconds, warmup, clientLoops, "bench", 500));
            double connectSeconds = client.connect();
            int target = client.opened.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int subscribed;
            while ((subscribed = bench.subscribers()) < target && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            System.out.printf(Locale.ROOT, "%d connected in %.1f s, %d subscribed%n", target, connectSeconds, subscribed);

            // Idle: nothing published; the server should sleep.
            ProcessStats idleStart = bench.stats(false);
            Thread.sleep(TimeUnit.SECONDS.toMillis(idle));
            ProcessStats idleEnd = bench.stats(false);
            ProcessStats footprint = bench.stats(true);
            double idleCores = (idleEnd.cpuNanos() - idleStart.cpuNanos()) / (double) (idleEnd.wallNanos() - idleStart.wallNanos());
            int n = Math.max(1, subscribed);

            bench.ask("start", "STARTED");
            ProcessStats[] window = new ProcessStats[2];
            FanoutClient.Result result = client.measure(connectSeconds,
                    () -> window[0] = bench.stats(false), () -> window[1] = bench.stats(false));
            String paused = bench.ask("pause", "PAUSED");
            double runCores = (window[1].cpuNanos() - window[0].cpuNanos()) / (double) (window[1].wallNanos() - window[0].wallNanos());

            System.out.print(result.report());
            long published = result.lastSeq() < result.firstSeq() ? 0 : result.lastSeq() - result.firstSeq() + 1;
            System.out.printf(Locale.ROOT, "publish rate       %.1f/s achieved of %d/s requested%n", published / (double) seconds, rate);
            // With a pre-touched fixed heap the RSS delta is the native (off-heap) growth alone.
            String rssLabel = serverJvm.contains("AlwaysPreTouch") ? "native RSS" : "RSS";
            System.out.printf(Locale.ROOT, "server idle        heap %.0f B/conn, " + rssLabel + " %.0f B/conn (heap %.1f MiB, RSS %.1f MiB for %d conns; base heap %.1f MiB, RSS %.1f MiB)%n",
                    (footprint.heapUsedBytes() - base.heapUsedBytes()) / (double) n,
                    (footprint.rssBytes() - base.rssBytes()) / (double) n,
                    footprint.heapUsedBytes() / 1048576.0, footprint.rssBytes() / 1048576.0, n,
                    base.heapUsedBytes() / 1048576.0, base.rssBytes() / 1048576.0);
            System.out.printf(Locale.ROOT, "server cpu         idle %.3f cores over %d s, publishing %.2f cores%n", idleCores, idle, runCores);
            // Machine time per delivered message decides on a shared box; on-time publishes make the
            // comparison fair when a server's publisher falls behind (then it delivers less work).
            long cpuNanos = window[1].cpuNanos() - window[0].cpuNanos();
            System.out.printf(Locale.ROOT, "server cpu/deliv   %.2f us per delivered message (%d delivered in the window)%n",
                    result.arrivedInWindow() == 0 ? 0.0 : cpuNanos / 1000.0 / result.arrivedInWindow(), result.arrivedInWindow());
            System.out.printf(Locale.ROOT, "server gc          %d collections, %d ms, %.0f B allocated per delivered message%n",
                    window[1].gcCount() - window[0].gcCount(), window[1].gcMillis() - window[0].gcMillis(),
                    result.arrivedInWindow() == 0 ? 0.0
                            : (window[1].allocatedBytes() - window[0].allocatedBytes()) / (double) result.arrivedInWindow());
            System.out.println("publishes on time  " + onTimeShare(paused));
            System.out.println("server shed        " + field(paused, "shed=") + " (messages the hub counted as not sent, since it started; -1: not counted)");
            System.out.println("load average at end: " + loadAverage());
        } finally {
            if (client != null) {
                client.close();
            }
            bench.toServer.println("quit");
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
            if (redis != null) {
                redis.close();
            }
        }
        System.exit(0);
    }

    /** Says what is wrong (unless {@code problem} is null) and how to call this, and exits with 2. */
    private static void exitWithUsage(String problem) {
        if (problem != null) {
            System.err.println("FanoutBenchmark: " + problem);
        }
        System.err.println("""
                usage: FanoutBenchmark --connections N --rate R --size BYTES --seconds D [--warmup S] [--idle S]
                         [--mode hub|raw|group|netty|netty-loop|cluster] [--nodes N] [--server-jvm "OPTIONS"]
                         [--server-loops N] [--client-loops N]
                e.g.   FanoutBenchmark --connections 10000 --rate 10 --size 256 --seconds 30""");
        System.exit(2);
    }

    /** From the server's {@code PAUSED published=N ontime=M} line: "M of N (x %)". */
    static String onTimeShare(String paused) {
        long published = -1;
        long onTime = -1;
        for (String field : paused.split(" ")) {
            if (field.startsWith("published=")) {
                published = Long.parseLong(field.substring("published=".length()));
            } else if (field.startsWith("ontime=")) {
                onTime = Long.parseLong(field.substring("ontime=".length()));
            }
        }
        if (published <= 0 || onTime < 0) {
            return "? (" + paused + ")";
        }
        return String.format(Locale.ROOT, "%d of %d (%.1f %%)", onTime, published, 100.0 * onTime / published);
    }

    /** The value of {@code name} (e.g. {@code "shed="}) in a line of space-separated fields, or "?". */
    private static String field(String line, String name) {
        for (String f : line.split(" ")) {
            if (f.startsWith(name)) {
                return f.substring(name.length());
            }
        }
        return "?";
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

}
