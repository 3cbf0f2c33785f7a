package io.blockbuster.stream;

/**
 * Whether a hub's {@link StreamEngine} can do its work now. While it cannot, connections stay open
 * but nothing is published or delivered; a host's health check should report the node unhealthy.
 *
 * @param engine a short name of the engine, e.g. {@code "in-memory"} or {@code "redis"}
 * @param healthy whether publishing and delivery work now
 * @param detail why not (or what is being retried), or {@code null} when healthy
 */
public record EngineStatus(String engine, boolean healthy, String detail) {
}
