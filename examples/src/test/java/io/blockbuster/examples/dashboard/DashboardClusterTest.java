package io.blockbuster.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.examples.dashboard.node.NodeRpcServer;
import io.blockbuster.examples.dashboard.node.SimulatedNode;
import io.blockbuster.stream.HubStats;
import io.blockbuster.stream.StreamStats;
import io.blockbuster.stream.redis.RedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --redis}: two dashboard instances on different ports against one Redis and one JSON-RPC
 * node serve identical streams, and only one of them polls the node for each stream.
 */
class DashboardClusterTest {
    private static final List<String> STREAMS = List.of("network_metrics", "markets_health", "receipts", "peers");

    @Test
    void twoInstancesServeIdenticalStreamsWithOnePollerEach() throws Exception {
        try (RedisServer redis = RedisServer.start();
             NodeRpcServer node = new NodeRpcServer(new SimulatedNode(System::nanoTime, 1.0, 42),
                     java.net.InetAddress.getLoopbackAddress(), 0)) {
            String[] args = {"--http-port", "0", "--ws-port", "0", "--node", "http://127.0.0.1:" + node.port(),
                "--redis", redis.uri()};
            try (DashboardServer one = DashboardServer.start(DashboardOptions.parse(args));
                 DashboardServer two = DashboardServer.start(DashboardOptions.parse(args))) {
                DashboardServerTest.Client a = DashboardServerTest.Client.connect(one.wsPort());
                DashboardServerTest.Client b = DashboardServerTest.Client.connect(two.wsPort());
                for (String stream : STREAMS) {
                    a.send("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\"}");
                    b.send("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\"}");
                }
                for (String stream : STREAMS) {
                    Map<String, Object> fromA = a.next(m -> stream.equals(m.get("type")));
                    // The same message (data, seq, epoch, timestamp) from the other instance.
                    Map<String, Object> fromB = b.next(m -> stream.equals(m.get("type")) && m.get("seq").equals(fromA.get("seq")));
                    assertThat(fromB).isEqualTo(fromA);
                }
                // One poller per stream: of the two instances, one has polled (its source has succeeded),
                // the other only relays. (A lease may move under a long pause; then both would show
                // a success, which this test would report.)
                HubStats s1 = one.stats();
                HubStats s2 = two.stats();
                assertThat(s1.engine().healthy()).isTrue();
                for (String stream : STREAMS) {
                    StreamStats x = s1.streams().get(stream);
                    StreamStats y = s2.streams().get(stream);
                    assertThat((x.source().lastSuccessAt() == null) != (y.source().lastSuccessAt() == null))
                            .as(stream + " polled by exactly one instance: " + x.source() + " / " + y.source()).isTrue();
                }
            }
        }
    }
}
