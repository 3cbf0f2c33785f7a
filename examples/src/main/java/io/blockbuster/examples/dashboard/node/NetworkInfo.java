package io.blockbuster.examples.dashboard.node;

/**
 * Result of {@code network_info}.
 *
 * @param peerCount connected peers
 * @param bandwidthInBytesPerSecond inbound gossip traffic
 * @param bandwidthOutBytesPerSecond outbound gossip traffic
 * @param activeConnections open transport connections (peers plus light clients)
 */
public record NetworkInfo(int peerCount, long bandwidthInBytesPerSecond, long bandwidthOutBytesPerSecond,
                   int activeConnections) {
}
