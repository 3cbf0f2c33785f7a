package io.blockbuster.examples.dashboard;

/**
 * One entry of {@code market_health}.
 *
 * @param name compute, storage, energy or ads
 * @param status {@code healthy}, {@code degraded} or {@code down}
 */
record MarketStats(String name, String status, int activeJobs, int totalProviders) {

    boolean isHealthy() {
        return "healthy".equals(status);
    }
}
