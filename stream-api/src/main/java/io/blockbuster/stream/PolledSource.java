package io.blockbuster.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A source the hub polls for its current value every {@link #interval()} (fixed delay after each
 * poll). Default options: {@link StreamOptions#state()} (LATEST, snapshot on subscribe, polls only
 * while someone subscribes, a value equal to the last one not sent again; for a message every
 * interval whatever the value, register it with {@code StreamOptions.state().withSendUnchanged(true)}).
 * Immutable.
 */
public final class PolledSource implements StreamSource {
    private final Duration interval;
    private final Callable<?> poll;

    private PolledSource(Duration interval, Callable<?> poll) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    /**
     * Polls {@code poll} every {@code interval}. {@code poll} may block (it runs on a source thread) and
     * may throw; it returns any value {@link io.blockbuster.stream.json.Json} or the hub's codec can write.
     * A {@code null} result means "no value now" and is not published.
     */
    public static PolledSource every(Duration interval, Callable<?> poll) {
        return new PolledSource(interval, poll);
    }

    /** Delay between the end of one poll and the start of the next. */
    public Duration interval() {
        return interval;
    }

    /** What the hub calls for the current value. */
    public Callable<?> poll() {
        return poll;
    }

    @Override
    public StreamOptions defaultOptions() {
        return StreamOptions.state();
    }
}
