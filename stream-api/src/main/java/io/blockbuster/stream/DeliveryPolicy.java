package io.blockbuster.stream;

/** How a stream's messages reach a subscriber that reads slower than the stream publishes. */
public enum DeliveryPolicy {
    /**
     * State streams: a subscriber gets the latest value at once on subscribe (snapshot) and then,
     * whenever it can take more, the newest value; values it was too slow for are conflated away.
     * A slow subscriber never builds a backlog and is never disconnected for being slow.
     */
    LATEST,
    /**
     * Event streams: every message, in order, through a bounded per-subscriber queue. A subscriber
     * whose queue overflows is disconnected with {@link StreamCloseCodes#SLOW_CONSUMER} and can
     * resume from its last {@code seq} out of the stream's bounded history.
     */
    QUEUE
}
