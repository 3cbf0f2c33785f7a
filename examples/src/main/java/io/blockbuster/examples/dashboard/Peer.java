package io.blockbuster.examples.dashboard;

/** One entry of {@code network_peers}. */
record Peer(String id, String address, int latencyMs, boolean isValidator) {
}
