package io.blockbuster.examples.dashboard;

import io.blockbuster.examples.dashboard.http.DashboardHttp;
import io.blockbuster.examples.dashboard.node.ChainNode;
import io.blockbuster.examples.dashboard.node.JsonRpcNode;
import io.blockbuster.examples.dashboard.node.SimulatedNode;
import io.blockbuster.examples.dashboard.streams.DashboardFeeds;
import io.blockbuster.examples.dashboard.streams.StreamSpec;
import io.blockbuster.stream.HubStats;
import io.blockbuster.stream.IncrementalSource;
import io.blockbuster.stream.PolledSource;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.binding.PrometheusText;
import io.blockbuster.stream.binding.StreamBinding;
import io.blockbuster.stream.redis.RedisEngine;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Block dashboard: streams a blockchain node's metrics, market health, receipts and peers to
 * browsers over WebSocket (a {@link StreamHub} on the websocket-core server, port 8080, at {@code /ws}
 * and at {@code /}), and serves
 * the dashboard page, its assets and a REST API over HTTP (port 8000). Without {@code --node} it runs
 * on a built-in simulated node. Run with {@code --help} for the options; see {@code docs/dashboard.md}.
 *
 * <p>{@link #start} returns a running server; {@link #close()} stops it: WebSocket clients get close
 * code 1001, the sources stop, both ports are released. Thread safe.
 */
public final class DashboardServer implements AutoCloseable {

    /** The WebSocket endpoint's path that the page uses. */
    static final String WS_PATH = "/ws";
    /**
     * The same endpoint at the root, where the original system served it: its clients (a browser's
     * {@code new WebSocket('ws://localhost:8080')}, websocat, Python's websockets) connect there.
     */
    static final String ROOT_PATH = "/";

    /** The original system's welcome text, which its clients may show or match. */
    static final String WELCOME = "Connected to The Block real-time data stream";

    private static final Duration WS_SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(DashboardServer.class.getName());

    private final DashboardOptions options;
    private final DashboardFeeds feeds;
    private final StreamHub hub;
    private final WebSocketServer webSockets;
    private final DashboardHttp http;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private DashboardServer(DashboardOptions options) throws IOException {
        this.options = options;
        ChainNode node = options.node() == null
                ? new SimulatedNode(System::nanoTime, options.speed(), System.nanoTime())
                : new JsonRpcNode(options.node(), options.rpcTimeout());
        this.feeds = new DashboardFeeds(node);
        List<StreamSpec> streams = StreamSpec.all(feeds, options::scaled);

        StreamHub.Builder builder = StreamHub.builder().welcomeMessage(WELCOME);
        if (options.redis() != null) {
            // Cluster mode: instances with the same Redis and prefix serve the same streams, and
            // only the holder of each stream's lease polls the node.
            builder.engine(RedisEngine.builder(options.redis()).keyPrefix("theblock:").build());
        }
        this.hub = builder.build();
        for (StreamSpec s : streams) {
            if (s.events()) {
                hub.register(s.name(), IncrementalSource.every(s.interval(), feeds::receiptBatches,
                        DashboardFeeds::batchKey), sourceOptions(StreamOptions.events()));
            } else {
                hub.register(s.name(), PolledSource.every(s.interval(), s.payload()::get),
                        // Every interval, changed or not, as the original sent them: front ends show
                        // "updated N s ago" and take silence for a stale feed.
                        sourceOptions(StreamOptions.state().withSendUnchanged(true)));
            }
        }
        WebSocketServer ws = null;
        DashboardHttp web = null;
        WebSocketListener endpoint = StreamBinding.listener(hub);
        try {
            hub.start();
            ws = WebSocketServer.builder()
                    .bindAddress(InetAddress.getByName(options.host()))
                    .port(options.wsPort())
                    .limits(WebSocketLimits.builder().maxSizes(StreamBinding.MAX_INBOUND_MESSAGE_BYTES,
                            StreamBinding.MAX_INBOUND_MESSAGE_BYTES).build())
                    .handler(WS_PATH, endpoint)
                    .handler(ROOT_PATH, endpoint)
                    .build();
            ws.start();
            WebSocketServer served = ws;
            web = new DashboardHttp(options.host(), options.httpPort(), feeds, streams, this::config, hub::stats,
                    () -> PrometheusText.render(hub.stats(), served.stats()));
        } catch (IOException | RuntimeException e) {
            if (ws != null) {
                ws.shutdown(Duration.ZERO);
            }
            hub.close();
            throw e;
        }
        this.webSockets = ws;
        this.http = web;
    }

    /** A poll may take the RPC timeout and a little more before the hub counts it as failed. */
    private StreamOptions sourceOptions(StreamOptions base) {
        Duration timeout = options.rpcTimeout().multipliedBy(3).plusSeconds(1);
        return base.withPollTimeout(timeout).withBackoff(options.scaled(Duration.ofSeconds(1)),
                options.scaled(Duration.ofSeconds(10)));
    }

    /**
     * Starts the hub, the WebSocket server and the HTTP server as {@code options} say.
     *
     * @throws IOException if a port cannot be bound (nothing is left running then)
     */
    static DashboardServer start(DashboardOptions options) throws IOException {
        return new DashboardServer(options);
    }

    /** Bound HTTP port. */
    int httpPort() {
        return http.port();
    }

    /** The hub's counters (what {@code /api/stats} answers). */
    HubStats stats() {
        return hub.stats();
    }

        /** Bound WebSocket port. */
    int wsPort() {
        return webSockets.port();
    }

    private Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ws_port", wsPort());
        m.put("ws_path", WS_PATH);
        m.put("node", feeds.node().describe());
        m.put("streams", new ArrayList<>(hub.streams()));
        m.put("epoch", hub.epoch());
        return m;
    }

    /**
     * Stops everything, promptly: WebSocket clients get close 1001 (at most 2 s for their close
     * handshakes, at most 5 s in all for the WebSocket server), then the sources stop and the HTTP
     * server closes. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // The WebSocket server's shutdown blocks while it closes connections; bound our wait for it
        // so that Ctrl-C ends the process promptly whatever happens (its threads are daemons).
        Thread wsShutdown = new Thread(() -> {
            try {
                webSockets.shutdown(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "WebSocket server shutdown failed", e);
            }
        }, "dashboard-ws-shutdown");
        wsShutdown.setDaemon(true);
        wsShutdown.start();
        try {
            wsShutdown.join(WS_SHUTDOWN_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (wsShutdown.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket server did not stop within " + WS_SHUTDOWN_WAIT
                    + "; going on without it");
        }
        hub.close();
        http.close();
        stopped.countDown();
    }

    /** Blocks until {@link #close()} has finished. */
    void awaitClose() throws InterruptedException {
        stopped.await();
    }

    /**
     * Runs the dashboard until Ctrl-C (SIGINT/SIGTERM), then shuts down gracefully.
     *
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) throws Exception {
        DashboardOptions options;
        try {
            options = DashboardOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            System.err.println(DashboardOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(DashboardOptions.USAGE);
            return;
        }
        DashboardServer server;
        try {
            server = start(options);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("error: cannot start: " + e.getMessage()
                    + " (is another program using port " + options.httpPort() + " or " + options.wsPort() + "?)");
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down...");
            server.close();
        }, "dashboard-shutdown"));
        String shown = options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host();
        System.out.printf("The Block dashboard on %s node%n", server.feeds.node().describe());
        System.out.printf("  page       http://%s:%d/%n", shown, server.httpPort());
        System.out.printf("  REST API   http://%s:%d/api/streams%n", shown, server.httpPort());
        System.out.printf("  WebSocket  ws://%s:%d%s (and ws://%s:%d%s)%n", shown, server.wsPort(), WS_PATH,
                shown, server.wsPort(), ROOT_PATH);
        System.out.println("Press Ctrl-C to stop.");
        server.awaitClose();
    }
}
