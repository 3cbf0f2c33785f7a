package io.blockbuster.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * How one stream delivers and how its source is run. Start from {@link #state()} or {@link #events()}
 * and adjust with the {@code with...} methods. Immutable.
 *
 * @param policy delivery to slow subscribers
 * @param queueCapacity per-subscriber queue bound for {@link DeliveryPolicy#QUEUE} (ignored for LATEST)
 * @param historyCapacity messages kept for resume ({@code since}); LATEST streams keep only the latest
 * @param pollTimeout a poll still running after this counts as failed; the next poll waits until it returns
 * @param minBackoff delay before the first retry after a failed poll, doubled per further failure
 * @param maxBackoff upper bound of the retry delay
 * @param pollWhileIdle whether a polled source polls when nobody subscribes; if false it polls at once
 *     when its first subscriber arrives
 * @param dedupCapacity how many recent keys an incremental source remembers to drop repeats
 * @param sendUnchanged whether a polled source publishes every poll's value, also when its JSON equals
 *     the previous one: a steady cadence, for clients that show "updated N s ago" or treat silence as a
 *     stale feed. Off by default: an unchanged value is not sent again
 * @param maxDeliveryLag how late a {@link DeliveryPolicy#QUEUE} message may reach a subscriber's queue
 *     when the transport delivers on the subscriber's own thread (its {@link Fanout}) and that thread
 *     has fallen behind the publisher: a message older than this when its turn comes is not sent,
 *     nor is anything older still waiting for that subscriber; they count in
 *     {@link StreamStats#shed()}, and the subscriber is sent one {@code resync} notice (reason
 *     {@code delivery_late}, {@code since} the last seq it was sent, {@code first_seq} the next),
 *     just before its next message, or at once if the skipped message was the stream's newest, so
 *     it knows the gap and may fetch it from history by resuming. The subscriber stays connected. So under overload a subscriber's messages are delivered within this
 *     bound or accounted for and told, never silently late. LATEST streams need no bound: a thread
 *     that fell behind is handed only the newest value (the rest count as conflated). 500 ms unless
 *     set. It covers waiting for the subscriber's thread, not a slow client's own socket (that is the
 *     queue bound, whose overflow closes the subscriber with {@link StreamCloseCodes#SLOW_CONSUMER})
 */
public record StreamOptions(DeliveryPolicy policy, int queueCapacity, int historyCapacity, Duration pollTimeout,
                            Duration minBackoff, Duration maxBackoff, boolean pollWhileIdle, int dedupCapacity,
                            boolean sendUnchanged, Duration maxDeliveryLag) {

    /** The default {@link #maxDeliveryLag()}. */
    public static final Duration DEFAULT_MAX_DELIVERY_LAG = Duration.ofMillis(500);

    /** Validates. */
    public StreamOptions {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxDeliveryLag, "maxDeliveryLag");
        if (queueCapacity < 1 || historyCapacity < 1 || dedupCapacity < 1) {
            throw new IllegalArgumentException("capacities must be positive");
        }
        if (pollTimeout.isNegative() || pollTimeout.isZero() || minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0
                || maxDeliveryLag.isNegative() || maxDeliveryLag.isZero()) {
            throw new IllegalArgumentException("bad durations: timeout " + pollTimeout + ", backoff " + minBackoff + ".." + maxBackoff
                    + ", max delivery lag " + maxDeliveryLag);
        }
    }

    /**
     * State stream: LATEST, history 1, 10 s poll timeout, 1 s..60 s backoff, no polling while idle, an
     * unchanged value not sent again.
     */
    public static StreamOptions state() {
        return new StreamOptions(DeliveryPolicy.LATEST, 1, 1, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(60), false, 1, false, DEFAULT_MAX_DELIVERY_LAG);
    }

    /**
     * Event stream: QUEUE of 256 per subscriber, history 1024, 10 s timeout, 1 s..60 s backoff, 10000
     * keys, 500 ms max delivery lag.
     */
    public static StreamOptions events() {
        return new StreamOptions(DeliveryPolicy.QUEUE, 256, 1024, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(60), true, 10_000, false, DEFAULT_MAX_DELIVERY_LAG);
    }

    /** With another per-subscriber queue bound. */
    public StreamOptions withQueueCapacity(int capacity) {
        return new StreamOptions(policy, capacity, historyCapacity, pollTimeout, minBackoff, maxBackoff, pollWhileIdle, dedupCapacity,
                sendUnchanged, maxDeliveryLag);
    }

    /** With another history bound. */
    public StreamOptions withHistoryCapacity(int capacity) {
        return new StreamOptions(policy, queueCapacity, capacity, pollTimeout, minBackoff, maxBackoff, pollWhileIdle, dedupCapacity,
                sendUnchanged, maxDeliveryLag);
    }

    /** With another poll timeout. */
    public StreamOptions withPollTimeout(Duration timeout) {
        return new StreamOptions(policy, queueCapacity, historyCapacity, timeout, minBackoff, maxBackoff, pollWhileIdle, dedupCapacity,
                sendUnchanged, maxDeliveryLag);
    }

    /** With another retry backoff range. */
    public StreamOptions withBackoff(Duration min, Duration max) {
        return new StreamOptions(policy, queueCapacity, historyCapacity, pollTimeout, min, max, pollWhileIdle, dedupCapacity,
                sendUnchanged, maxDeliveryLag);
    }

    /** With polling while idle switched on or off. */
    public StreamOptions withPollWhileIdle(boolean poll) {
        return new StreamOptions(policy, queueCapacity, historyCapacity, pollTimeout, minBackoff, maxBackoff, poll, dedupCapacity,
                sendUnchanged, maxDeliveryLag);
    }

    /** With another number of remembered keys. */
    public StreamOptions withDedupCapacity(int capacity) {
        return new StreamOptions(policy, queueCapacity, historyCapacity, pollTimeout, minBackoff, maxBackoff, pollWhileIdle, capacity,
                sendUnchanged, maxDeliveryLag);
    }

    /**
     * With every poll's value sent, also when unchanged (a steady cadence), or, with false, an unchanged
     * value skipped. Only polled sources are affected.
     */
    public StreamOptions withSendUnchanged(boolean send) {
        return new StreamOptions(policy, queueCapacity, historyCapacity, pollTimeout, minBackoff, maxBackoff, pollWhileIdle,
                dedupCapacity, send, maxDeliveryLag);
    }

    /**
     * With another bound on how late a QUEUE message may reach a subscriber whose thread fell behind
     * (see {@link #maxDeliveryLag()}): lower for fresher data under overload (and more skipped), higher
     * to ride out longer stalls (a GC pause, a burst) without skipping anything.
     */
    public StreamOptions withMaxDeliveryLag(Duration lag) {
        return new StreamOptions(policy, queueCapacity, historyCapacity, pollTimeout, minBackoff, maxBackoff, pollWhileIdle,
                dedupCapacity, sendUnchanged, lag);
    }
}
