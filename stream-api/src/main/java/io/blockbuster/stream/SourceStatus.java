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

    static final SourceStatus STOPPED = new SourceStatus(Health.STOPPED, 0, null, null, null);

    SourceStatus withHealth(Health h) {
        return new SourceStatus(h, consecutiveFailures, lastError, lastErrorAt, lastSuccessAt);
    }

    SourceStatus success(Instant at) {
        return new SourceStatus(Health.HEALTHY, 0, lastError, lastErrorAt, at);
    }

    SourceStatus failure(String error, Instant at) {
        return new SourceStatus(Health.FAILING, consecutiveFailures + 1, error, at, lastSuccessAt);
    }
}
