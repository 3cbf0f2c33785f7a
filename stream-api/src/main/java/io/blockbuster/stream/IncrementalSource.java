package io.blockbuster.stream;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A source that returns, on each poll, the items that are new since the last poll (e.g. the receipts
 * of the newest blocks). Each item becomes one data message. The hub drops any item whose key it has
 * already seen among the last {@link StreamOptions#dedupCapacity()} keys, so a source may safely return
 * overlapping windows. Default options: {@link StreamOptions#events()} (QUEUE, history for resume,
 * polls even while nobody subscribes so the history stays complete). Immutable.
 *
 * @param <T> the item type
 */
public final class IncrementalSource<T> implements StreamSource {
    private final Duration interval;
    private final Callable<? extends Collection<? extends T>> poll;
    private final Function<? super T, ?> key;

    private IncrementalSource(Duration interval, Callable<? extends Collection<? extends T>> poll, Function<? super T, ?> key) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
        this.poll = Objects.requireNonNull(poll, "poll");
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * Polls {@code poll} every {@code interval}; {@code key} names each item's identity (with
     * {@code equals}/{@code hashCode}), e.g. {@code Receipt::txHash}. Items are published in the order
     * the collection iterates. {@code poll} may block and throw; a {@code null} result means nothing new.
     */
    public static <T> IncrementalSource<T> every(Duration interval, Callable<? extends Collection<? extends T>> poll,
                                                 Function<? super T, ?> key) {
        return new IncrementalSource<>(interval, poll, key);
    }

    /** Delay between the end of one poll and the start of the next. */
    public Duration interval() {
        return interval;
    }

    /** What the hub calls for the new items. */
    public Callable<? extends Collection<? extends T>> poll() {
        return poll;
    }

    /** Each item's identity, by which repeats are dropped. */
    public Function<? super T, ?> key() {
        return key;
    }

    @Override
    public StreamOptions defaultOptions() {
        return StreamOptions.events();
    }
}
