package io.blockbuster.stream;

/**
 * Counters of one stream since the hub started. Every message published reaches each subscriber
 * or is accounted for here, by policy.
 *
 * @param stream the stream name
 * @param policy its delivery policy
 * @param subscribers current subscribers
 * @param lastSeq seq of the newest message (0 before the first)
 * @param published messages published
 * @param delivered messages handed to sessions (one per subscriber per message)
 * @param dropped QUEUE: messages discarded with a subscriber's overflowing queue (that subscriber is
 *     closed with {@link StreamCloseCodes#SLOW_CONSUMER} and can resume from history)
 * @param conflated LATEST: values a subscriber never got because a newer one replaced it, in its
 *     queue or while its transport thread was behind (one per subscriber and value)
 * @param shed QUEUE: messages not sent because a transport thread fell too far behind: shed from its
 *     backlog, or later than {@link StreamOptions#maxDeliveryLag()} when their turn came (with what
 *     was still queued for that subscriber), one per subscriber and message; those subscribers stay
 *     connected and are told the gap with a {@code resync} notice ({@code delivery_late})
 * @param source status of the stream's source
 */
public record StreamStats(String stream, DeliveryPolicy policy, int subscribers, long lastSeq, long published,
                          long delivered, long dropped, long conflated, long shed, SourceStatus source) {
}
