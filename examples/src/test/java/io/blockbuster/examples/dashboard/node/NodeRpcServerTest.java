package io.blockbuster.examples.dashboard.node;

import io.blockbuster.stream.json.Json;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated node served over JSON-RPC reads back, through the client, exactly as it reads directly. */
class NodeRpcServerTest {

    @Test
    void clientReadsTheServedNodeFaithfully() throws Exception {
        AtomicLong nanos = new AtomicLong();
        SimulatedNode simulated = new SimulatedNode(nanos::get, 1.0, 3);
        try (NodeRpcServer server = new NodeRpcServer(simulated, InetAddress.getLoopbackAddress(), 0)) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/");
            JsonRpcNode client = new JsonRpcNode(uri, Duration.ofSeconds(10));
            nanos.addAndGet(Duration.ofSeconds(60).toNanos());
            assertThat(client.chainInfo()).isEqualTo(simulated.chainInfo());
            assertThat(client.peers()).isEqualTo(simulated.peers());
            assertThat(client.markets()).isEqualTo(simulated.markets());
            long h = simulated.chainInfo().blockHeight();
            assertThat(client.receiptsSince(h - 30, 1000)).isNotEmpty().isEqualTo(simulated.receiptsSince(h - 30, 1000));
            assertThat(client.networkInfo().peerCount()).isEqualTo(simulated.peers().size());

            HttpClient http = HttpClient.newHttpClient();
            for (String[] row : new String[][] {
                    {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"}", "-32601"},
                    {"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"receipts_since\",\"params\":{}}", "-32602"},
                    {"{\"id\":3,\"method\":\"blockchain_info\"}", "-32600"},
                    {"{not json", "-32700"}}) {
                String body = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(row[0]))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
                Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) Json.parse(body)).get("error");
                assertThat(error).as(row[0]).isNotNull();
                assertThat(error.get("code")).as(row[0]).isEqualTo(Long.parseLong(row[1]));
            }
        }
    }
}
