package io.blockbuster.examples.dashboard;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JsonRpcNode against a scripted JSON-RPC server (FakeNode): results mapped, and every way a node can fail reported. */
class JsonRpcNodeTest {

    private FakeNode fake;
    private JsonRpcNode node;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeNode();
        node = new JsonRpcNode(fake.uri(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void readsEveryMethodsResult() {
        assertThat(node.chainInfo()).isEqualTo(new ChainInfo(1000, 2.5, 80.5));
        assertThat(node.networkInfo()).isEqualTo(new NetworkInfo(24, 250_000, 200_000, 30));
        assertThat(node.peers()).containsExactly(
                new Peer("12D3KooWaaaa", "203.0.113.7:30333", 41, true),
                new Peer("12D3KooWbbbb", "198.51.100.9:30333", 120, false));
        assertThat(node.markets()).containsExactly(
                new MarketStats("compute", "healthy", 140, 38),
                new MarketStats("storage", "healthy", 95, 52),
                new MarketStats("energy", "degraded", 60, 21),
                new MarketStats("ads", "healthy", 210, 17));
    }

    @Test
    void sendsJsonRpc20RequestsWithNamedReceiptParams() {
        fake.answer("receipts_since", "[{\"id\": \"r1\", \"market\": \"storage\", \"block_height\": 1001,"
                + " \"timestamp\": 1764100000, \"provider\": \"prv_1\", \"consumer\": \"acc_1\", \"amount\": 12.5}]");
        assertThat(node.receiptsSince(990, 50)).containsExactly(
                new Receipt("r1", "storage", 1001, 1_764_100_000L, "prv_1", "acc_1", 12.5));
        Map<?, ?> request = fake.requests.get(fake.requests.size() - 1);
        assertThat(request.get("jsonrpc")).isEqualTo("2.0");
        assertThat(request.get("method")).isEqualTo("receipts_since");
        assertThat(request.get("id")).isInstanceOf(Number.class);
        assertThat(asMap(request.get("params"))).containsEntry("after_height", 990L).containsEntry("limit", 50L);
    }

    @Test
    void rpcErrorObjectBecomesNodeUnavailable() {
        // A fresh client's first request has id 1.
        fake.answerRaw("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"syncing\"}}");
        JsonRpcNode fresh = new JsonRpcNode(fake.uri(), Duration.ofSeconds(5));
        assertThatThrownBy(fresh::chainInfo).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("-32000").hasMessageContaining("syncing");
    }

    @Test
    void malformedAnswersBecomeNodeUnavailable() {
        fake.answerRaw("not json");
        assertThatThrownBy(node::chainInfo).isInstanceOf(NodeUnavailableException.class).hasMessageContaining("not JSON");
        fake.answerRaw("{\"jsonrpc\":\"2.0\",\"id\":999999,\"result\":{}}");
        assertThatThrownBy(node::chainInfo).isInstanceOf(NodeUnavailableException.class).hasMessageContaining("wrong id");
        fake.answerRaw(null);
        fake.answer("blockchain_info", "{\"block_height\": \"high\"}");
        assertThatThrownBy(node::chainInfo).isInstanceOf(NodeUnavailableException.class).hasMessageContaining("block_height");
    }

    @Test
    void streamsSayWhenTheNodeIsDownAndRecoverWhenItReturns() throws Exception {
        DashboardFeeds feeds = new DashboardFeeds(node);
        Map<String, Object> before = feeds.networkMetrics();
        assertThat(before).containsEntry("node_status", "online").containsEntry("block_height", 1000L)
                .containsEntry("peer_count", 24).doesNotContainKey("node_error");
        assertThat((int) before.get("network_strength")).isBetween(1, 100);

        fake.stop();
        Map<String, Object> down = feeds.networkMetrics();
        assertThat(down).containsEntry("node_status", "unreachable").containsEntry("network_strength", 0)
                .containsEntry("block_height", 1000L).containsKey("node_error");
        assertThat(feeds.marketsHealth()).containsEntry("node_status", "unreachable")
                .containsEntry("overall_status", "unknown");
        assertThat(feeds.peers()).containsEntry("node_status", "unreachable").containsEntry("total", 0);
        assertThat(feeds.newReceipts()).containsEntry("node_status", "unreachable").containsEntry("count", 0);
        assertThat(feeds.nodeStatus()).isEqualTo(DashboardFeeds.UNREACHABLE);

        fake.answer("blockchain_info", "{\"block_height\": 1007, \"finality_time\": 2.1, \"tps\": 90}");
        fake.answer("receipts_since", "[{\"id\": \"r9\", \"market\": \"ads\", \"block_height\": 1006,"
                + " \"timestamp\": 1764100012, \"provider\": \"prv_9\", \"consumer\": \"acc_9\", \"amount\": 3}]");
        fake.restart();
        Map<String, Object> back = feeds.networkMetrics();
        assertThat(back).containsEntry("node_status", "online").containsEntry("block_height", 1007L)
                .doesNotContainKey("node_error");
        assertThat(feeds.marketsHealth()).containsEntry("overall_status", "degraded").containsEntry("healthy_markets", 3);
        Map<String, Object> receipts = feeds.newReceipts();
        assertThat(receipts).containsEntry("node_status", "online").containsEntry("count", 1);
        assertThat((List<?>) receipts.get("receipts")).singleElement()
                .satisfies(r -> assertThat(asMap(r)).containsEntry("id", "r9").containsEntry("amount", 3.0));
        assertThat(feeds.recentReceipts(10)).containsEntry("count", 1);
    }

    @Test
    void receiptsStreamSendsNewBatchesAndOneBatchPerStatusChange() throws Exception {
        DashboardFeeds feeds = new DashboardFeeds(node);
        assertThat(feeds.receiptBatches()).as("nothing new, node online").isEmpty();
        fake.stop();
        assertThat(feeds.receiptBatches()).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("node_status", "unreachable").containsEntry("count", 0));
        assertThat(feeds.receiptBatches()).as("still down: said so already").isEmpty();
        fake.answer("receipts_since", "[{\"id\": \"r1\", \"market\": \"ads\", \"block_height\": 995,"
                + " \"timestamp\": 1764100012, \"provider\": \"p\", \"consumer\": \"c\", \"amount\": 1},"
                + " {\"id\": \"r2\", \"market\": \"energy\", \"block_height\": 995,"
                + " \"timestamp\": 1764100012, \"provider\": \"p\", \"consumer\": \"c\", \"amount\": 2}]");
        fake.restart();
        List<Map<String, Object>> back = feeds.receiptBatches();
        assertThat(back).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("node_status", "online").containsEntry("count", 2));
        assertThat(DashboardFeeds.batchKey(back.get(0))).isNotNull();
        assertThat(feeds.receiptBatches()).as("the same receipts again are not new").isEmpty();
        assertThat((List<?>) feeds.recentReceipts(5).get("receipts")).hasSize(2);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
