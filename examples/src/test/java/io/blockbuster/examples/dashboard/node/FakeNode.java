package io.blockbuster.examples.dashboard.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.blockbuster.stream.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small JSON-RPC 2.0 node for tests, on com.sun.net.httpserver: each method answers the JSON
 * text the test set for it (written by hand, so the client is checked against the documented wire
 * format, not against our own writer). It can be stopped and started again on the same port.
 */
public final class FakeNode implements AutoCloseable {

    private final Map<String, String> results = new ConcurrentHashMap<>();
    final List<Map<?, ?>> requests = new CopyOnWriteArrayList<>();
    private volatile String rawResponse;
    private HttpServer server;
    private int port;

    public FakeNode() throws IOException {
        answer("blockchain_info", "{\"block_height\": 1000, \"finality_time\": 2.5, \"tps\": 80.5}");
        answer("network_info", "{\"peer_count\": 24, \"bandwidth_in\": 250000, \"bandwidth_out\": 200000,"
                + " \"active_connections\": 30}");
        answer("network_peers", "[{\"id\": \"12D3KooWaaaa\", \"address\": \"203.0.113.7:30333\","
                + " \"latency_ms\": 41, \"is_validator\": true},"
                + " {\"id\": \"12D3KooWbbbb\", \"address\": \"198.51.100.9:30333\","
                + " \"latency_ms\": 120, \"is_validator\": false}]");
        answer("market_health", "{\"compute\": {\"status\": \"healthy\", \"active_jobs\": 140, \"total_providers\": 38},"
                + " \"storage\": {\"status\": \"healthy\", \"active_jobs\": 95, \"total_providers\": 52},"
                + " \"energy\": {\"status\": \"degraded\", \"active_jobs\": 60, \"total_providers\": 21},"
                + " \"ads\": {\"status\": \"healthy\", \"active_jobs\": 210, \"total_providers\": 17}}");
        answer("receipts_since", "[]");
        start(0);
    }

    /** Makes {@code method} answer with {@code resultJson} as its result. */
    public void answer(String method, String resultJson) {
        results.put(method, resultJson);
    }

    /** Makes every call answer exactly {@code body} (null: back to normal answers). */
    void answerRaw(String body) {
        rawResponse = body;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public void start(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    /** Stops answering; {@link #restart()} comes back on the same port. */
    public void stop() {
        server.stop(0);
    }

    public void restart() throws IOException {
        start(port);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<?, ?> request = (Map<?, ?>) Json.parse(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            requests.add(request);
            String body = rawResponse;
            if (body == null) {
                String result = results.get((String) request.get("method"));
                body = result == null
                        ? "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id")
                          + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}"
                        : "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + result + "}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
