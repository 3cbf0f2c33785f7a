package io.blockbuster.benchmarks.echo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Echo round trips of binary messages over N connections, our server against Netty's, measured so
 * the ratio can be trusted on a small shared machine: every run starts the server in a fresh JVM
 * ({@link EchoServer}) and the load generator in another ({@link EchoClient}, our client, the same
 * for every server), both with the same JVM flags; the servers take turns over several repetitions
 * (ours, netty, ours, netty, ...), so a drift in the machine's load hits all of them alike. Each run
 * prints its figures, the client's and server's CPU in the window, and the load average before it;
 * the summary gives each server's median and the median of the per-repetition ratios.
 *
 * <p>{@code --base-jar J} adds a server {@code base}: our server from another build of this jar,
 * for an A/B of a transport change in the same sitting.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.blockbuster.benchmarks.echo.EchoBenchmark \
 *      [--servers blockbuster,netty] [--repeats 3] [--connections 100] [--size 1024] [--seconds 10] \
 *      [--warmup 5] [--loops NPROC/2] [--client-loops NPROC/2] [--jvm "-Xmx1g"] [--base-jar J]
 * </pre>
 */
public final class EchoBenchmark {

    private static final Pattern RESULT = Pattern.compile(
            "result rtps=(\\S+) p50=(\\S+) p99=(\\S+) p999=(\\S+) max=(\\S+) clientCpu=(\\S+)% serverCpu=(\\S+)%.*");

    private EchoBenchmark() {
    }

    record Run(String server, int repeat, double rtps, double p50, double p99, double p999, double max,
               double clientCpu, double serverCpu, String loadBefore) {
        /** Server CPU per round trip: comparable even when the machine's load varies. */
        double serverMicrosPerRoundTrip() {
            return serverCpu / 100 / rtps * 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> servers = List.of("blockbuster", "netty");
        int repeats = 3;
        int connections = 100;
        int size = 1024;
        int seconds = 10;
        int warmup = 5;
        // Half the cores each by default: server and load generator share the machine, and more busy
        // loop threads than cores turn scheduler time slices into the latency tail (p99 about 8 ms
        // with 2 + 2 loops on 2 cores, 1.7 ms with 1 + 1) and make runs swing.
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        int clientLoops = loops;
        String jvm = "-Xmx1g";
        String baseJar = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--server", "--servers" -> servers = List.of(value.split(","));
                case "--repeats" -> repeats = Integer.parseInt(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--size" -> size = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--loops" -> loops = Integer.parseInt(value);
                case "--client-loops" -> clientLoops = Integer.parseInt(value);
                case "--jvm" -> jvm = value;
                case "--base-jar" -> baseJar = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (baseJar != null && !servers.contains("base")) {
            servers = new ArrayList<>(servers);
            servers.add("base");
        }
        String jar = new File(EchoBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> flags = Arrays.asList(jvm.trim().split("\\s+"));
        System.out.printf(Locale.ROOT, "echo: %d connections, %d B binary, %d s (+%d s warmup), server loops %d,"
                        + " client loops %d, %d repetitions of %s, child JVM flags %s, %d cores%n",
                connections, size, seconds, warmup, loops, clientLoops, repeats, servers, flags,
                Runtime.getRuntime().availableProcessors());

        List<Run> runs = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            for (String server : servers) {
                String serverJar = server.equals("base") ? baseJar : jar;
                String kind = server.equals("base") ? "blockbuster" : server;
                String load = loadAverage();
                Run run = runOnce(java, flags, jar, serverJar, kind, server, r, loops, clientLoops, connections,
                        size, seconds, warmup, load);
                runs.add(run);
                System.out.printf(Locale.ROOT, "%-11s #%d: %,9.0f round trips/s, RTT ms p50 %.3f p99 %.3f p99.9 %.3f"
                                + " max %.3f; CPU client %.0f%% server %.0f%% (%.1f us per round trip); load before %s%n",
                        server, r, run.rtps, run.p50, run.p99, run.p999, run.max, run.clientCpu, run.serverCpu,
                        run.serverMicrosPerRoundTrip(), load);
                System.out.flush();
            }
        }
        summarize(runs, servers, repeats);
        System.out.println("load after: " + loadAverage());
    }

    private static Run runOnce(String java, List<String> flags, String clientJar, String serverJar, String kind,
                               String label, int repeat, int loops, int clientLoops, int connections, int size,
                               int seconds, int warmup, String load) throws Exception {
        List<String> serverCmd = new ArrayList<>();
        serverCmd.add(java);
        serverCmd.addAll(flags);
        serverCmd.addAll(List.of("-cp", serverJar, EchoServer.class.getName(), kind, String.valueOf(loops)));
        Process server = new ProcessBuilder(serverCmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("port ")) {
                throw new IOException(label + " server did not start: " + line);
            }
            int port = Integer.parseInt(line.substring(5).trim());
            List<String> clientCmd = new ArrayList<>();
            clientCmd.add(java);
            clientCmd.addAll(flags);
            clientCmd.addAll(List.of("-cp", clientJar, EchoClient.class.getName(), String.valueOf(port),
                    String.valueOf(connections), String.valueOf(size), String.valueOf(seconds), String.valueOf(warmup),
                    String.valueOf(clientLoops), String.valueOf(server.pid())));
            Process client = new ProcessBuilder(clientCmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String result = null;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = in.readLine()) != null) {
                    if (l.startsWith("result ")) {
                        result = l;
                    } else {
                        System.out.println("  client: " + l);
                    }
                }
            }
            if (!client.waitFor(seconds + warmup + 120, TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
            Matcher m = result == null ? null : RESULT.matcher(result);
            if (m == null || !m.matches()) {
                throw new IOException(label + " run gave no result (client exit " + client.exitValue() + ")");
            }
            return new Run(label, repeat, d(m, 1), d(m, 2), d(m, 3), d(m, 4), d(m, 5), d(m, 6), d(m, 7), load);
        } finally {
            server.getOutputStream().close(); // the server's signal to stop
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    private static double d(Matcher m, int group) {
        return Double.parseDouble(m.group(group));
    }

    private static void summarize(List<Run> runs, List<String> servers, int repeats) {
        Map<String, List<Run>> by = new LinkedHashMap<>();
        for (String s : servers) {
            by.put(s, runs.stream().filter(r -> r.server.equals(s)).toList());
        }
        for (Map.Entry<String, List<Run>> e : by.entrySet()) {
            List<Run> rs = e.getValue();
            System.out.printf(Locale.ROOT, "median %-11s %,9.0f round trips/s, RTT p50 %.3f ms, p99 %.3f ms;"
                            + " CPU client %.0f%% server %.0f%%, server %.1f us per round trip%n", e.getKey(),
                    median(rs.stream().mapToDouble(Run::rtps).toArray()),
                    median(rs.stream().mapToDouble(Run::p50).toArray()),
                    median(rs.stream().mapToDouble(Run::p99).toArray()),
                    median(rs.stream().mapToDouble(Run::clientCpu).toArray()),
                    median(rs.stream().mapToDouble(Run::serverCpu).toArray()),
                    median(rs.stream().mapToDouble(Run::serverMicrosPerRoundTrip).toArray()));
        }
        List<String> others = servers.stream().filter(s -> !s.equals("blockbuster")).toList();
        if (!by.containsKey("blockbuster")) {
            return;
        }
        for (String other : others) {
            double[] ratios = new double[repeats];
            StringBuilder each = new StringBuilder();
            for (int i = 0; i < repeats; i++) {
                ratios[i] = by.get("blockbuster").get(i).rtps / by.get(other).get(i).rtps;
                each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", ratios[i]));
            }
            System.out.printf(Locale.ROOT, "ratio blockbuster/%s round trips/s: median %.2fx (each repetition: %s)%n",
                    other, median(ratios), each);
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
