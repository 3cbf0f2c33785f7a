package io.blockbuster.examples.dashboard.http;

import io.blockbuster.examples.dashboard.node.SimulatedNode;
import io.blockbuster.examples.dashboard.streams.DashboardFeeds;
import io.blockbuster.examples.dashboard.streams.StreamSpec;
import io.blockbuster.stream.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API and the static assets over real HTTP, on a simulated node driven by a fake clock. */
class DashboardHttpTest {

    private final AtomicLong nanos = new AtomicLong();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private DashboardHttp http;
    private String base;

    @BeforeEach
    void start() throws Exception {
        DashboardFeeds feeds = new DashboardFeeds(new SimulatedNode(nanos::get, 1.0, 7));
        http = new DashboardHttp("127.0.0.1", 0, feeds, StreamSpec.all(feeds, interval -> interval),
                () -> Map.of("ws_port", 8080, "ws_path", "/"), () -> Map.of("subscribers", 0),
                () -> "# TYPE up gauge\nup 1\n");
        base = "http://127.0.0.1:" + http.port();
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> getJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return (Map<String, Object>) Json.parse(r.body());
    }

    @Test
    void networkMetricsHasEveryField() throws Exception {
        Map<String, Object> m = getJson("/api/network_metrics");
        assertThat(m).containsKeys("network_strength", "block_height", "finality_time", "peer_count", "tps",
                "bandwidth_in", "bandwidth_out", "active_connections").containsEntry("node_status", "online");
        long height = ((Number) m.get("block_height")).longValue();
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(((Number) getJson("/api/network_metrics").get("block_height")).longValue()).isEqualTo(height + 5);
    }

    @Test
    @SuppressWarnings("unchecked")
    void marketsHealthHasFourMarkets() throws Exception {
        Map<String, Object> m = getJson("/api/markets_health");
        assertThat(m).containsKeys("overall_status", "healthy_markets").containsEntry("total_markets", 4L);
        Map<String, Object> markets = (Map<String, Object>) m.get("markets");
        assertThat(markets).containsOnlyKeys("compute", "storage", "energy", "ads");
        assertThat((Map<String, Object>) markets.get("compute")).containsKeys("status", "active_jobs", "total_providers");
    }

    @Test
    @SuppressWarnings("unchecked")
    void peersHaveEveryField() throws Exception {
        Map<String, Object> m = getJson("/api/peers");
        List<Object> peers = (List<Object>) m.get("peers");
        assertThat(peers).isNotEmpty();
        assertThat(m.get("total")).isEqualTo((long) peers.size());
        assertThat((Map<String, Object>) peers.get(0)).containsKeys("id", "address", "latency_ms", "is_validator");
    }

    @Test
    @SuppressWarnings("unchecked")
    void receiptsHonourLimitAndRejectBadOnes() throws Exception {
        getJson("/api/receipts?limit=1");      // the first read looks back only a few blocks
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        Map<String, Object> m = getJson("/api/receipts?limit=3");
        List<Object> receipts = (List<Object>) m.get("receipts");
        assertThat(receipts).hasSize(3);
        assertThat(m.get("count")).isEqualTo(3L);
        assertThat((Map<String, Object>) receipts.get(0)).containsKeys("id", "market", "block_height", "timestamp",
                "provider", "consumer", "amount");
        assertThat(((List<Object>) getJson("/api/receipts").get("receipts"))).hasSize(20);
        for (String bad : List.of("0", "101", "x", "")) {
            HttpResponse<String> r = get("/api/receipts?limit=" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat((Map<String, Object>) Json.parse(r.body())).containsEntry("status", 400L);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void receiptLimitEdgeValues() throws Exception {
        assertThat((List<Object>) getJson("/api/receipts?limit=1").get("receipts")).hasSize(1);
        nanos.addAndGet(Duration.ofMinutes(30).toNanos()); // the first read looks back only a few blocks
        assertThat((List<Object>) getJson("/api/receipts?limit=100").get("receipts")).hasSize(100);
        assertThat((List<Object>) getJson("/api/receipts?limit=007").get("receipts")).hasSize(7);
        assertThat((List<Object>) getJson("/api/receipts?limit=2&limit=500").get("receipts")).as("the first counts").hasSize(2);
        assertThat((List<Object>) getJson("/api/receipts?other=x").get("receipts")).as("default").hasSize(20);
        // "+5" and an Arabic-Indic three were accepted by Integer.parseInt.
        for (String bad : List.of("%2B5", "%D9%A3", "-1", "1.0", "1e2", "2147483648", "99999999999", "%205", "limit")) {
            HttpResponse<String> r = get("/api/receipts?limit=" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(get("/api/receipts?limit").statusCode()).isEqualTo(400);
    }

    @Test
    @SuppressWarnings("unchecked")
    void streamsConfigStatsAndHealth() throws Exception {
        List<Object> streams = (List<Object>) getJson("/api/streams").get("streams");
        assertThat(streams).extracting(s -> ((Map<String, Object>) s).get("name"))
                .containsExactly("network_metrics", "markets_health", "receipts", "peers");
        assertThat((Map<String, Object>) streams.get(0)).containsEntry("interval_ms", 2000L);
        assertThat(getJson("/api/config")).containsEntry("ws_port", 8080L);
        assertThat(getJson("/api/stats")).containsKey("subscribers");
        assertThat(getJson("/api/health")).containsEntry("status", "ok").containsEntry("node", "simulated");
    }

    @Test
    void servesThePageAndAssetsAndNothingElse() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<canvas id=\"tps-chart\"", "dashboard.js");
        assertThat(get("/webjars/blockbuster-client/0.1.0/blockbuster-client.js").body())
                .as("the browser client, from the stream-api jar").contains("export class BlockbusterClient");
        assertThat(get("/webjars/blockbuster-client/0.1.0/react.js").body()).contains("export function useDataStream");
        assertThat(get("/react/").body()).contains("importmap", "/react/network-strength.js");
        assertThat(get("/react/network-strength.js").body()).contains("useDataStream('network_metrics'");
        assertThat(get("/react/vendor/react.js").statusCode()).isEqualTo(200);
        assertThat(get("/react").statusCode()).as("redirect, not followed").isEqualTo(308);
        assertThat(get("/webjars/blockbuster-client/0.1.0/package.json").statusCode()).isEqualTo(404);
        assertThat(get("/webjars/blockbuster-client/../blockbuster-client.js").statusCode()).isEqualTo(404);
        assertThat(get("/webjars/other/1.0/x.js").statusCode()).isEqualTo(404);
        assertThat(get("/dashboard.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/dashboard.css").statusCode()).isEqualTo(200);
        assertThat(get("/../pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/dashboard/index.html").statusCode()).isEqualTo(404);
        assertThat(get("/api/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/api/peers"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }
}
