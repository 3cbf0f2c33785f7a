package io.blockbuster.stream;

import java.time.Instant;

/**
 * A source's health as the host sees it. Immutable snapshot.
 *
 * @param health the summary
 * @param consecutiveFailures failed (or timed out) polls since the last success
 * @param lastError {@code ExceptionClass: message} of the last failure, or {@code null}
 * @param lastErrorAt when it failed, or {@code null}
 * @param lastSuccessAt when a poll last succeeded (or a pushed value was published), or {@code null}
 */
public record SourceStatus(Health health, int consecutiveFailures, String lastError, Instant lastErrorAt,
                           Instant lastSuccessAt) {

    /** Health summary. */
    public enum Health {
        /** Started, no poll finished yet (or a pushed source with nothing published yet). */
        STARTING,
        /** The last poll succeeded. */
        HEALTHY,
        /** The last poll failed or timed out; retries back off. */
        FAILING,
        /** The hub is not running. */
        STOPPED
    }
}
