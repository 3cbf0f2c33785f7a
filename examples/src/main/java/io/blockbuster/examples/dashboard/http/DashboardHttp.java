package io.blockbuster.examples.dashboard.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.blockbuster.examples.dashboard.streams.DashboardFeeds;
import io.blockbuster.examples.dashboard.streams.StreamSpec;
import io.blockbuster.stream.binding.PrometheusText;
import io.blockbuster.stream.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The dashboard's HTTP side, on the JDK's {@code com.sun.net.httpserver}: the page and its assets
 * (a fixed list read from the class path, so no request can name another file), the React example
 * page at {@code /react/}, the browser client from the stream-api jar's webjar
 * ({@code /webjars/blockbuster-client/VERSION/*.js}), and a read-only JSON REST API:
 *
 * <pre>
 * GET /api/config            WebSocket port and path, node, stream names (the page reads it)
 * GET /api/streams           the streams with interval, kind and description
 * GET /api/network_metrics   one network_metrics payload, fresh from the node
 * GET /api/markets_health    one markets_health payload
 * GET /api/peers             one peers payload
 * GET /api/receipts?limit=N  the newest N receipts (1..100, default 20), newest first
 * GET /api/stats             hub statistics
 * GET /api/health            {"status": "ok" | "degraded", ...}; 200 while the server runs
 * GET /metrics               hub and WebSocket server counters, Prometheus text format
 * </pre>
 *
 * Errors are JSON too: {@code {"error": "...", "status": 404}}. Handlers run on a small pool.
 */
public final class DashboardHttp implements AutoCloseable {

    /** Request path -> class path resource. */
    private static final Map<String, String> ASSETS = Map.of(
            "/", "dashboard/index.html",
            "/index.html", "dashboard/index.html",
            "/dashboard.css", "dashboard/dashboard.css",
            "/dashboard.js", "dashboard/dashboard.js",
            "/react/", "dashboard/react/index.html",
            "/react/network-strength.js", "dashboard/react/network-strength.js",
            "/react/vendor/react.js", "dashboard/react/vendor/react.js");

    /** The browser client's modules in the stream-api jar, where the webjar convention puts them. */
    private static final Pattern WEBJAR = Pattern.compile("/webjars/blockbuster-client/\\d[\\w.-]*/[\\w-]+\\.js");

    private final HttpServer server;
    private final ExecutorService pool;
    private final DashboardFeeds feeds;
    private final List<StreamSpec> streams;
    private final Supplier<Map<String, Object>> config;
    private final Supplier<Object> stats;
    private final Supplier<String> metrics;
    private final long startedMillis = System.currentTimeMillis();

    /**
     * Binds {@code host:port} and starts serving.
     *
     * @param config what {@code /api/config} answers
     * @param stats what {@code /api/stats} answers
     * @param metrics what {@code /metrics} answers (Prometheus text format)
     */
    public DashboardHttp(String host, int port, DashboardFeeds feeds, List<StreamSpec> streams,
                         Supplier<Map<String, Object>> config, Supplier<Object> stats, Supplier<String> metrics)
            throws IOException {
        this.feeds = feeds;
        this.streams = streams;
        this.config = config;
        this.stats = stats;
        this.metrics = metrics;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "dashboard-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The bound port (useful when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting at once and ends exchanges in progress. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendJson(exchange, 405, error("method " + method + " not allowed", 405));
                return;
            }
            if (path.startsWith("/api/")) {
                api(exchange, path.substring("/api/".length()));
            } else if (path.equals("/metrics")) {
                exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                send(exchange, 200, metrics.get().getBytes(StandardCharsets.UTF_8));
            } else if (ASSETS.containsKey(path)) {
                asset(exchange, ASSETS.get(path));
            } else if (path.equals("/react")) {
                exchange.getResponseHeaders().set("Location", "/react/");
                send(exchange, 308, new byte[0]);
            } else if (WEBJAR.matcher(path).matches()) {
                asset(exchange, "META-INF/resources" + path);
            } else {
                sendJson(exchange, 404, error("not found: " + truncate(path), 404));
            }
        } catch (RuntimeException e) {
            // Our bug: answer 500 without details rather than dropping the connection.
            System.getLogger(DashboardHttp.class.getName()).log(System.Logger.Level.WARNING, "request failed", e);
            sendJson(exchange, 500, error("internal error", 500));
        }
    }

    private void api(HttpExchange exchange, String name) throws IOException {
        switch (name) {
            case "config" -> sendJson(exchange, 200, config.get());
            case "streams" -> sendJson(exchange, 200, streamList());
            case DashboardFeeds.NETWORK_METRICS -> sendJson(exchange, 200, feeds.networkMetrics());
            case DashboardFeeds.MARKETS_HEALTH -> sendJson(exchange, 200, feeds.marketsHealth());
            case DashboardFeeds.PEERS -> sendJson(exchange, 200, feeds.peers());
            case DashboardFeeds.RECEIPTS -> {
                Integer limit = limit(exchange.getRequestURI());
                if (limit == null) {
                    sendJson(exchange, 400, error("limit must be a whole number from 1 to "
                            + DashboardFeeds.MAX_RECENT_RECEIPTS, 400));
                } else {
                    sendJson(exchange, 200, feeds.recentReceipts(limit));
                }
            }
            case "stats" -> sendJson(exchange, 200, stats.get());
            case "health" -> sendJson(exchange, 200, health());
            default -> sendJson(exchange, 404, error("no such endpoint: /api/" + truncate(name), 404));
        }
    }

    private Map<String, Object> streamList() {
        List<Object> list = new ArrayList<>();
        for (StreamSpec s : streams) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", s.name());
            one.put("interval_ms", s.interval().toMillis());
            one.put("kind", s.events() ? "events" : "state");
            one.put("description", s.description());
            one.put("rest", "/api/" + s.name());
            list.add(one);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("streams", list);
        return m;
    }

    private Map<String, Object> health() {
        String node = feeds.nodeStatus();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", DashboardFeeds.ONLINE.equals(node) ? "ok" : "degraded");
        m.put("node", feeds.node().describe());
        m.put("node_status", node);
        m.put("uptime_seconds", (System.currentTimeMillis() - startedMillis) / 1000);
        m.put("timestamp", System.currentTimeMillis() / 1000);
        return m;
    }

    /**
     * The {@code limit} query parameter: default 20 when absent, null when present but not 1 to
     * {@link DashboardFeeds#MAX_RECENT_RECEIPTS} written in ASCII digits (the first {@code limit} counts).
     */
    static Integer limit(URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return 20;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals("limit")) {
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                // ASCII digits only: Integer.parseInt also takes a sign and any Unicode digit ("+5", "٣").
                if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    return null;
                }
                int n = Integer.parseInt(value);
                return n >= 1 && n <= DashboardFeeds.MAX_RECENT_RECEIPTS ? n : null;
            }
        }
        return 20;
    }

    private void asset(HttpExchange exchange, String file) throws IOException {
        byte[] body;
        try (InputStream in = DashboardHttp.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                sendJson(exchange, 404, error("asset missing from the class path: " + file, 404));
                return;
            }
            body = in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", contentType(file));
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        send(exchange, 200, body);
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/javascript; charset=utf-8";
    }

    private static Map<String, Object> error(String message, int status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        return m;
    }

    private static String truncate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        send(exchange, status, Json.writeUtf8(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
