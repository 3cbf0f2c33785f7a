package io.blockbuster.stream.internal;

import io.blockbuster.stream.SourceStatus;
import io.blockbuster.stream.SourceStatus.Health;
import java.time.Instant;

/** One source's {@link SourceStatus} and its transitions; each replaces the immutable snapshot. */
final class SourceState {
    private volatile SourceStatus status = new SourceStatus(Health.STOPPED, 0, null, null, null);

    SourceStatus get() {
        return status;
    }

    void starting() {
        status = new SourceStatus(Health.STARTING, 0, null, null, null);
    }

    void succeeded(Instant at) {
        SourceStatus s = status;
        status = new SourceStatus(Health.HEALTHY, 0, s.lastError(), s.lastErrorAt(), at);
    }

    void failed(String error, Instant at) {
        SourceStatus s = status;
        status = new SourceStatus(Health.FAILING, s.consecutiveFailures() + 1, error, at, s.lastSuccessAt());
    }

    void stopped() {
        SourceStatus s = status;
        status = new SourceStatus(Health.STOPPED, s.consecutiveFailures(), s.lastError(), s.lastErrorAt(), s.lastSuccessAt());
    }

    /** {@code ExceptionClass: message}, as {@link SourceStatus#lastError()} shows a failure. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
