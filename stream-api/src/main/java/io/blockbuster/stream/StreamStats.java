package io.blockbuster.stream;

/**
 * Counters of one stream since the hub started.
 *
 * @param stream the stream name
 * @param policy its delivery policy
 * @param subscribers current subscribers
 * @param lastSeq seq of the newest message (0 before the first)
 * @param published messages published
 * @param delivered messages handed to sessions (one per subscriber per message)
 * @param dropped messages a subscriber did not get: conflated away (LATEST) or discarded with an
 *     overflowing queue (QUEUE)
 * @param source status of the stream's source
 */
public record StreamStats(String stream, DeliveryPolicy policy, int subscribers, long lastSeq, long published,
                          long delivered, long dropped, SourceStatus source) {
}
