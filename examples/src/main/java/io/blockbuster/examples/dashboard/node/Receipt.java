package io.blockbuster.examples.dashboard.node;

/**
 * One settled market receipt, as {@code receipts_since} returns it.
 *
 * @param timestamp unix seconds of the block that holds it
 * @param amount settled amount in BLOCK tokens
 */
public record Receipt(String id, String market, long blockHeight, long timestamp, String provider,
               String consumer, double amount) {
}
