package io.blockbuster.examples.dashboard;

import java.net.URI;
import java.time.Duration;

/**
 * Command-line options of {@link DashboardServer}. Immutable.
 *
 * @param node JSON-RPC URL of a real node, or {@code null} to run on the built-in simulated node
 * @param host address both servers bind to
 * @param httpPort port of the page, assets and REST API (0 picks a free port)
 * @param wsPort port of the WebSocket stream endpoint (0 picks a free port)
 * @param speed scale of every interval: 2 runs the streams and the simulated chain twice as fast
 * @param rpcTimeout how long one JSON-RPC call may take before the node counts as unreachable
 * @param redis URI of the Redis that several dashboard instances share streams through (cluster
 *     mode, see {@code docs/cluster.md}), or {@code null} to run alone
 */
record DashboardOptions(URI node, String host, int httpPort, int wsPort, double speed, Duration rpcTimeout,
                        String redis) {

    static final int DEFAULT_HTTP_PORT = 8000;
    static final int DEFAULT_WS_PORT = 8080;

    static final String USAGE = String.join("\n",
            "Usage: DashboardServer [options]",
            "",
            "The Block dashboard: streams a blockchain node's metrics, market health, receipts and",
            "peers to browsers over WebSocket, and serves the dashboard page and a REST API.",
            "",
            "Options:",
            "  --node URL          JSON-RPC 2.0 endpoint of a node, e.g. http://127.0.0.1:9933",
            "                      (default: a built-in simulated node)",
            "  --host ADDRESS      address to bind both servers to (default: 127.0.0.1;",
            "                      use 0.0.0.0 to serve other machines)",
            "  --http-port PORT    port of the page and the REST API (default: 8000)",
            "  --ws-port PORT      port of the WebSocket streams (default: 8080)",
            "  --speed FACTOR      run every interval FACTOR times faster, e.g. 10 (default: 1)",
            "  --rpc-timeout MS    timeout of one JSON-RPC call in milliseconds (default: 2000)",
            "  --redis URI         share the streams with other instances through Redis, e.g.",
            "                      redis://127.0.0.1:6379/0 (rediss:// for TLS, redis-sentinel://);",
            "                      one instance polls the node per stream (default: run alone)",
            "  --help              print this help and exit",
            "",
            "Streams: network_metrics (2 s), markets_health (5 s), receipts (3 s), peers (10 s).",
            "Open http://127.0.0.1:8000/ once it runs; Ctrl-C stops it.");

    static DashboardOptions defaults() {
        return new DashboardOptions(null, "127.0.0.1", DEFAULT_HTTP_PORT, DEFAULT_WS_PORT, 1.0,
                Duration.ofSeconds(2), null);
    }

    /**
     * Parses {@code args}; {@code --name value} and {@code --name=value} are both accepted.
     *
     * @return the options, or {@code null} if {@code --help} was asked for
     * @throws IllegalArgumentException with a message fit for the user on any bad option
     */
    static DashboardOptions parse(String... args) {
        DashboardOptions o = defaults();
        URI node = o.node;
        String host = o.host;
        int httpPort = o.httpPort;
        int wsPort = o.wsPort;
        double speed = o.speed;
        Duration rpcTimeout = o.rpcTimeout;
        String redis = o.redis;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + arg);
                }
                value = args[++i];
            }
            switch (arg) {
                case "--node" -> node = parseNode(value);
                case "--host" -> host = value;
                case "--http-port" -> httpPort = parsePort(arg, value);
                case "--ws-port" -> wsPort = parsePort(arg, value);
                case "--speed" -> speed = parseSpeed(value);
                case "--rpc-timeout" -> rpcTimeout = Duration.ofMillis(parseLong(arg, value, 1, 600_000));
                case "--redis" -> redis = parseRedis(value);
                default -> throw new IllegalArgumentException("unknown option " + arg + " (try --help)");
            }
        }
        if (httpPort != 0 && httpPort == wsPort) {
            throw new IllegalArgumentException("--http-port and --ws-port must differ");
        }
        return new DashboardOptions(node, host, httpPort, wsPort, speed, rpcTimeout, redis);
    }

    private static String parseRedis(String value) {
        if (!value.matches("(redis|rediss|redis-sentinel)://.+")) {
            throw new IllegalArgumentException("--redis must be a redis://, rediss:// or redis-sentinel:// URI: " + value);
        }
        return value;
    }

    /** {@code base} divided by the speed factor, never below 10 ms. */
    Duration scaled(Duration base) {
        return Duration.ofNanos(Math.max(10_000_000L, (long) (base.toNanos() / speed)));
    }

    private static URI parseNode(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--node is not a URL: " + value);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--node must be an http:// or https:// URL: " + value);
        }
        return uri;
    }

    private static int parsePort(String name, String value) {
        return (int) parseLong(name, value, 0, 65_535);
    }

    private static long parseLong(String name, String value, long min, long max) {
        try {
            long v = Long.parseLong(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max + ": " + value);
    }

    private static double parseSpeed(String value) {
        try {
            double v = Double.parseDouble(value);
            if (v >= 0.01 && v <= 1000) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--speed must be a number from 0.01 to 1000: " + value);
    }
}
