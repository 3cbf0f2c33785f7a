package io.blockbuster.examples.dashboard.streams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One of the dashboard's streams: its name on the wire, how often it is produced, and where its
 * payload comes from.
 *
 * @param events true for an event stream (each message carries new items only, resumable by
 *     seq); false for a state stream (each message is the whole current state)
 * @param payload a state stream's poll; null for the event stream, whose batches come from
 *     {@link DashboardFeeds#receiptBatches()}
 */
public record StreamSpec(String name, Duration interval, String description, boolean events,
                  Supplier<Map<String, Object>> payload) {

    /** The four streams of the original system, their intervals passed through {@code scale} (the speed option). */
    public static List<StreamSpec> all(DashboardFeeds feeds, UnaryOperator<Duration> scale) {
        return List.of(
                new StreamSpec(DashboardFeeds.NETWORK_METRICS, scale.apply(Duration.ofSeconds(2)),
                        "network strength, block height, finality, peers, TPS, bandwidth", false,
                        feeds::networkMetrics),
                new StreamSpec(DashboardFeeds.MARKETS_HEALTH, scale.apply(Duration.ofSeconds(5)),
                        "status, jobs and providers of the compute, storage, energy and ads markets", false,
                        feeds::marketsHealth),
                new StreamSpec(DashboardFeeds.RECEIPTS, scale.apply(Duration.ofSeconds(3)),
                        "new market receipts since the previous message", true,
                        null),
                new StreamSpec(DashboardFeeds.PEERS, scale.apply(Duration.ofSeconds(10)),
                        "connected peers with latency and validator flag", false,
                        feeds::peers));
    }
}
