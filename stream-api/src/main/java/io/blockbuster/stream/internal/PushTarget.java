package io.blockbuster.stream.internal;

/**
 * Where a {@code PushedSource} publishes once registered: the stream's {@link Channel}, seen through
 * the two calls the source needs.
 */
public interface PushTarget {

    /** Serializes {@code value} and publishes it; false if the hub is closed (the value is dropped). */
    boolean publish(Object value);

    /** Marks the source as failing in its status. */
    void reportFailure(Throwable error);
}
