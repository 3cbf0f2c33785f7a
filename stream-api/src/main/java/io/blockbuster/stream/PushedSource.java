package io.blockbuster.stream;

import io.blockbuster.stream.internal.PushTarget;

/**
 * A source the host pushes into: {@link #publish(Object)} from any thread. Default options:
 * {@link StreamOptions#events()} (register with {@link StreamOptions#state()} for a pushed state
 * stream). One instance serves one stream of one hub. Thread safe.
 */
public final class PushedSource implements StreamSource {
    private volatile PushTarget target;

    /** A source not yet registered with a hub. */
    public PushedSource() {
    }

    /**
     * Publishes {@code value} (serialized once, on the calling thread) to every subscriber of the stream.
     * Delivery to sessions never blocks the caller on a slow subscriber, and what waits for a busy
     * transport thread stays bounded: {@link PublishResult#PUSHED_BACK} tells the caller to slow down.
     *
     * @return {@link PublishResult#PUBLISHED}, {@link PublishResult#PUSHED_BACK} (published; slow
     *     down), {@link PublishResult#HUB_CLOSED} or {@link PublishResult#UNAVAILABLE} (the engine's
     *     store is unreachable); the last two drop the value
     * @throws IllegalStateException if the source is not registered with a hub
     * @throws IllegalArgumentException if the value cannot be serialized
     */
    public PublishResult publish(Object value) {
        PushTarget t = target;
        if (t == null) {
            throw new IllegalStateException("source not registered with a hub");
        }
        return t.publish(value);
    }

    /** Marks the source as failing in its {@link SourceStatus}, e.g. when its upstream is down. */
    public void reportFailure(Throwable error) {
        PushTarget t = target;
        if (t != null) {
            t.reportFailure(error);
        }
    }

    /** Called by the hub on registration: from now on values go to {@code t}. */
    void bind(PushTarget t) {
        synchronized (this) {
            if (target != null) {
                throw new IllegalStateException("source already registered with a hub");
            }
            target = t;
        }
    }

    @Override
    public StreamOptions defaultOptions() {
        return StreamOptions.events();
    }
}
