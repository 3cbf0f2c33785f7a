package io.blockbuster.examples.dashboard.streams;

import io.blockbuster.examples.dashboard.node.FakeNode;
import io.blockbuster.examples.dashboard.node.JsonRpcNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The streams' payloads from a real JSON-RPC node client against a scripted node (FakeNode), and the scoring rules. */
class DashboardFeedsTest {

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
        assertThat(feeds.marketsHealth()).containsEntry("overall_status", "healthy").containsEntry("healthy_markets", 3);
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

    @Test
    void networkStrengthAndOverallStatusRules() {
        assertThat(DashboardFeeds.networkStrength(24, 1.5)).isEqualTo(100);
        assertThat(DashboardFeeds.networkStrength(0, 8.0)).isZero();
        assertThat(DashboardFeeds.networkStrength(12, 2.4)).isBetween(50, 80);
        assertThat(DashboardFeeds.overallStatus(4, 4)).isEqualTo("healthy");
        assertThat(DashboardFeeds.overallStatus(3, 4)).as("the original guide's example").isEqualTo("healthy");
        assertThat(DashboardFeeds.overallStatus(2, 4)).isEqualTo("degraded");
        assertThat(DashboardFeeds.overallStatus(1, 4)).isEqualTo("critical");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
