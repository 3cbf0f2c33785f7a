package io.blockbuster.stream;

/**
 * Per-connection bounds the hub enforces. Breaking one earns an {@code error} reply, not a close.
 *
 * @param maxRequestChars longest request accepted ({@code request_too_large} beyond); checked before parsing
 * @param maxSubscriptions subscriptions one connection may hold ({@code too_many_subscriptions} beyond)
 * @param maxRequestsPerSecond sustained request rate; bursts up to the same number ({@code rate_limited} beyond)
 * @param maxPendingReplies replies and notices waiting for a non-writable connection; beyond that the
 *     client is not reading and is closed with {@link StreamCloseCodes#SLOW_CONSUMER}
 */
public record HubLimits(int maxRequestChars, int maxSubscriptions, int maxRequestsPerSecond, int maxPendingReplies) {

    /** 4096 chars, 64 subscriptions, 20 requests per second, 256 pending replies. */
    public static final HubLimits DEFAULT = new HubLimits(4096, 64, 20, 256);

    /** Validates the bounds. */
    public HubLimits {
        if (maxRequestChars < 64 || maxSubscriptions < 1 || maxRequestsPerSecond < 1 || maxPendingReplies < 1) {
            throw new IllegalArgumentException("limits too small: " + maxRequestChars + ", " + maxSubscriptions
                    + ", " + maxRequestsPerSecond + ", " + maxPendingReplies);
        }
    }
}
