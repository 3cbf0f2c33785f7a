package io.blockbuster.stream.internal;

/**
 * A token bucket for request rate limits: {@code ratePerSecond} tokens per second, bursts up to
 * {@code ratePerSecond}. Time is passed in (monotonic nanoseconds), so the bucket has no clock of its
 * own. Not thread safe: one connection's requests arrive one at a time.
 */
public final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int capacity;
    private final long nanosPerToken;
    private double tokens;
    private long lastRefillNanos;

    /** A full bucket at {@code nowNanos}. */
    public TokenBucket(int ratePerSecond, long nowNanos) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate " + ratePerSecond + " < 1");
        }
        this.capacity = ratePerSecond;
        this.nanosPerToken = NANOS_PER_SECOND / ratePerSecond;
        this.tokens = ratePerSecond;
        this.lastRefillNanos = nowNanos;
    }

    /** Takes one token if there is one at {@code nowNanos}. */
    public boolean tryAcquire(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + (double) elapsed / nanosPerToken);
            lastRefillNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
