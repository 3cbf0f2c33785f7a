package io.blockbuster.examples.dashboard.node;

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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
