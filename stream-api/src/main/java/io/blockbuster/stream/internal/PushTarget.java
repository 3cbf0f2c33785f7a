package io.blockbuster.stream.internal;

import io.blockbuster.stream.PublishResult;

/**
 * Where a {@code PushedSource} publishes once registered: the stream's {@link Channel}, seen through
 * the two calls the source needs.
 */
public interface PushTarget {

    /** Serializes {@code value} and publishes it; see {@link PublishResult}. */
    PublishResult publish(Object value);

    /** Marks the source as failing in its status. */
    void reportFailure(Throwable error);
}
