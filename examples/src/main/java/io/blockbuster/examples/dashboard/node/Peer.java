package io.blockbuster.examples.dashboard.node;

/** One entry of {@code network_peers}. */
public record Peer(String id, String address, int latencyMs, boolean isValidator) {
}
