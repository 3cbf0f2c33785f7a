package io.blockbuster.stream;

/** What became of a value given to {@link PushedSource#publish(Object)}. */
public enum PublishResult {
    /** Published; delivery keeps up. */
    PUBLISHED,
    /**
     * Published, but a transport thread is more than a batch of messages behind this stream: slow
     * down. A LATEST stream conflates what waits; a QUEUE stream past its bound sheds the oldest
     * waiting messages (past its queue capacity, at least 1,024 waiting) and closes the subscribers that miss them ({@link StreamCloseCodes#SLOW_CONSUMER},
     * they resume from history), counted in {@link StreamStats#shed()}.
     */
    PUSHED_BACK,
    /** Not published: the hub is closed. */
    HUB_CLOSED,
    /**
     * Not published: the hub's {@link StreamEngine} cannot accept the value now (a cluster engine
     * whose store is unreachable); the value is dropped and the engine reports itself unhealthy.
     */
    UNAVAILABLE
}
