package io.blockbuster.examples.dashboard.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.blockbuster.stream.json.Json;
import io.blockbuster.stream.json.JsonException;
import io.blockbuster.stream.json.JsonLimits;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Serves a {@link ChainNode} over the dashboard's JSON-RPC 2.0 methods, so the real-node path can be
 * tried without a real node:
 *
 * <pre>
 * java ... io.blockbuster.examples.dashboard.node.NodeRpcServer 9933     # a simulated node on :9933
 * java ... io.blockbuster.examples.dashboard.DashboardServer --node http://127.0.0.1:9933
 * </pre>
 *
 * Stop it and the dashboard reports the node unreachable; start it again and it recovers. Answers
 * parse errors (-32700), bad requests (-32600), unknown methods (-32601) and bad params (-32602)
 * as JSON-RPC 2.0 says. Requests are read up to 64 KiB. Thread safe.
 */
public final class NodeRpcServer implements AutoCloseable {

    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final ChainNode node;
    private final HttpServer server;

    NodeRpcServer(ChainNode node, InetAddress host, int port) throws IOException {
        this.node = node;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
            Map<String, Object> response = body.length > MAX_REQUEST_BYTES
                    ? error(null, -32600, "request larger than " + MAX_REQUEST_BYTES + " bytes")
                    : answer(body);
            byte[] out = Json.writeUtf8(response);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private Map<String, Object> answer(byte[] body) {
        Object parsed;
        try {
            parsed = Json.parseUtf8(body, new JsonLimits(16, MAX_REQUEST_BYTES));
        } catch (JsonException e) {
            return error(null, -32700, "parse error");
        }
        if (!(parsed instanceof Map<?, ?> request) || !"2.0".equals(request.get("jsonrpc"))
                || !(request.get("method") instanceof String method)) {
            return error(null, -32600, "invalid request");
        }
        Object id = request.get("id");
        try {
            Object result = switch (method) {
                case "blockchain_info" -> {
                    ChainInfo c = node.chainInfo();
                    yield ordered("block_height", c.blockHeight(), "finality_time", c.finalityTimeSeconds(),
                            "tps", c.tps());
                }
                case "network_info" -> {
                    NetworkInfo n = node.networkInfo();
                    yield ordered("peer_count", n.peerCount(), "bandwidth_in", n.bandwidthInBytesPerSecond(),
                            "bandwidth_out", n.bandwidthOutBytesPerSecond(), "active_connections", n.activeConnections());
                }
                case "network_peers" -> {
                    List<Object> peers = new ArrayList<>();
                    for (Peer p : node.peers()) {
                        peers.add(ordered("id", p.id(), "address", p.address(), "latency_ms", p.latencyMs(),
                                "is_validator", p.isValidator()));
                    }
                    yield peers;
                }
                case "market_health" -> {
                    Map<String, Object> markets = new LinkedHashMap<>();
                    for (MarketStats m : node.markets()) {
                        markets.put(m.name(), ordered("status", m.status(), "active_jobs", m.activeJobs(),
                                "total_providers", m.totalProviders()));
                    }
                    yield markets;
                }
                case "receipts_since" -> {
                    if (!(request.get("params") instanceof Map<?, ?> params)
                            || !(params.get("after_height") instanceof Long after)
                            || !(params.get("limit") instanceof Long limit) || limit < 1 || limit > 10_000) {
                        yield errorAnswer(id, -32602, "params must be {\"after_height\": n, \"limit\": 1..10000}");
                    }
                    List<Object> receipts = new ArrayList<>();
                    for (Receipt r : node.receiptsSince(after, (int) (long) limit)) {
                        receipts.add(ordered("id", r.id(), "market", r.market(), "block_height", r.blockHeight(),
                                "timestamp", r.timestamp(), "provider", r.provider(), "consumer", r.consumer(),
                                "amount", r.amount()));
                    }
                    yield receipts;
                }
                default -> errorAnswer(id, -32601, "method not found: " + method);
            };
            if (result instanceof ErrorAnswer e) {
                return e.response;
            }
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("jsonrpc", "2.0");
            response.put("id", id);
            response.put("result", result);
            return response;
        } catch (NodeUnavailableException e) {
            return error(id, -32000, e.getMessage());
        }
    }

    /** Marks an error response inside the switch, so it is not wrapped as a result. */
    private record ErrorAnswer(Map<String, Object> response) {
    }

    private static ErrorAnswer errorAnswer(Object id, int code, String message) {
        return new ErrorAnswer(error(id, code, message));
    }

    private static Map<String, Object> error(Object id, int code, String message) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", id);
        response.put("error", ordered("code", code, "message", message));
        return response;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /**
     * Runs a simulated node on {@code args[0]} (default 9933) of 127.0.0.1 until Ctrl-C;
     * {@code args[1]} is an optional speed factor.
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9933;
        double speed = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        NodeRpcServer server = new NodeRpcServer(new SimulatedNode(System::nanoTime, speed, System.nanoTime()),
                InetAddress.getLoopbackAddress(), port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("Simulated node: JSON-RPC 2.0 on http://127.0.0.1:" + server.port() + "/ (Ctrl-C stops)");
        stopped.await();
    }
}
