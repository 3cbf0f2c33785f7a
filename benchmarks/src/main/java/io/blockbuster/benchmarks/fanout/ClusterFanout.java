package io.blockbuster.benchmarks.fanout;

import io.blockbuster.stream.redis.RedisEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Cross-node fan-out: N hub nodes in this JVM, each a {@link HubFanout} with its own server and its
 * own {@link RedisEngine} on one Redis, publishing on the first. Every message goes publisher ->
 * Redis -> each node's reader -> that node's subscribers, as in a cluster of separate processes
 * (which would also pay for N JVMs; here they share one heap and one JIT).
 */
final class ClusterFanout implements FanoutServer.ServerUnderTest {
    private final List<HubFanout> nodes;

    private ClusterFanout(List<HubFanout> nodes) {
        this.nodes = nodes;
    }

    static ClusterFanout start(String redisUri, int count, int loops, int maxConnections) {
        String prefix = "fanout" + System.nanoTime() + ":";
        List<HubFanout> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(HubFanout.start(0, Math.max(1, loops / count), maxConnections,
                    RedisEngine.builder(redisUri).keyPrefix(prefix).build()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!nodes.stream().allMatch(HubFanout::engineHealthy)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Redis engines not healthy after 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return new ClusterFanout(nodes);
    }

    /** Every node's port, space separated, the publisher's first. */
    String ports() {
        return nodes.stream().map(n -> Integer.toString(n.port())).collect(Collectors.joining(" "));
    }

    @Override
    public int port() {
        return nodes.get(0).port();
    }

    @Override
    public int subscribers() {
        return nodes.stream().mapToInt(HubFanout::subscribers).sum();
    }

    @Override
    public void publish(String json) {
        nodes.get(0).publish(json);
    }

    @Override
    public void close() {
        nodes.forEach(HubFanout::close);
    }
}
