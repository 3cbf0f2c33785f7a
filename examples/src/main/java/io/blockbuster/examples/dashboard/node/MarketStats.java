package io.blockbuster.examples.dashboard.node;

/**
 * One entry of {@code market_health}.
 *
 * @param name compute, storage, energy or ads
 * @param status {@code healthy}, {@code degraded} or {@code down}
 */
public record MarketStats(String name, String status, int activeJobs, int totalProviders) {

    public boolean isHealthy() {
        return "healthy".equals(status);
    }
}
