package io.blockbuster.benchmarks.fanout;

/** Fan-out through StreamHub and its WebSocket binding (wired once the hub's API has landed). */
final class HubFanout {

    private HubFanout() {
    }

    static FanoutServer.Fanout start(int port, int loops, int maxConnections) {
        throw new UnsupportedOperationException("StreamHub has not landed on this branch yet: use --mode raw");
    }
}
