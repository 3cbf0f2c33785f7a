package io.blockbuster.examples.dashboard.node;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated chain on a manual clock: blocks, receipts, peers and metrics move with time only. */
class SimulatedNodeTest {

    private final AtomicLong nanos = new AtomicLong();
    private final SimulatedNode node = new SimulatedNode(nanos::get, 1.0, 42);

    private void advanceSeconds(double seconds) {
        nanos.addAndGet((long) (seconds * 1e9));
    }

    @Test
    void blocksAdvanceWithTheClockOnly() {
        long h0 = node.chainInfo().blockHeight();
        assertThat(node.chainInfo().blockHeight()).isEqualTo(h0);
        advanceSeconds(SimulatedNode.BLOCK_TIME_SECONDS * 5);
        assertThat(node.chainInfo().blockHeight()).isEqualTo(h0 + 5);
    }

    @Test
    void receiptsArriveInNewBlocksOldestFirst() {
        long h0 = node.chainInfo().blockHeight();
        advanceSeconds(SimulatedNode.BLOCK_TIME_SECONDS * 50);
        List<Receipt> fresh = node.receiptsSince(h0, 10_000);
        assertThat(fresh).isNotEmpty().allSatisfy(r -> {
            assertThat(r.blockHeight()).isGreaterThan(h0);
            assertThat(SimulatedNode.MARKETS).contains(r.market());
            assertThat(r.amount()).isPositive();
        });
        assertThat(fresh).extracting(Receipt::blockHeight).isSorted();
        assertThat(fresh).extracting(Receipt::id).doesNotHaveDuplicates();
        assertThat(node.receiptsSince(node.chainInfo().blockHeight(), 100)).isEmpty();
        assertThat(node.receiptsSince(h0, 3)).hasSize(3);
    }

    @Test
    void peersComeAndGoAndMetricsMove() {
        Set<String> firstIds = new HashSet<>();
        node.peers().forEach(p -> firstIds.add(p.id()));
        Set<Double> tpsSeen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            advanceSeconds(SimulatedNode.BLOCK_TIME_SECONDS);
            tpsSeen.add(node.chainInfo().tps());
        }
        Set<String> laterIds = new HashSet<>();
        node.peers().forEach(p -> laterIds.add(p.id()));
        assertThat(laterIds).isNotEqualTo(firstIds);
        assertThat(tpsSeen.size()).isGreaterThan(50);
        assertThat(node.markets()).extracting(MarketStats::name).containsExactlyElementsOf(SimulatedNode.MARKETS);
        NetworkInfo net = node.networkInfo();
        assertThat(net.peerCount()).isEqualTo(node.peers().size());
        assertThat(net.bandwidthInBytesPerSecond()).isPositive();
    }

    @Test
    void speedScalesBlockTime() {
        SimulatedNode fast = new SimulatedNode(nanos::get, 10.0, 1);
        long h0 = fast.chainInfo().blockHeight();
        advanceSeconds(SimulatedNode.BLOCK_TIME_SECONDS);
        assertThat(fast.chainInfo().blockHeight()).isEqualTo(h0 + 10);
    }
}
