package io.blockbuster.examples.dashboard.node;

/**
 * Result of {@code blockchain_info}.
 *
 * @param blockHeight height of the newest block
 * @param finalityTimeSeconds seconds from block production to finality, recent average
 * @param tps transactions per second, recent average
 */
public record ChainInfo(long blockHeight, double finalityTimeSeconds, double tps) {
}
