package io.blockbuster.stream.internal;

import io.blockbuster.stream.HubScheduler;
import io.blockbuster.stream.IncrementalSource;
import io.blockbuster.stream.PolledSource;
import io.blockbuster.stream.SourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one polled or incremental source: a poll per interval (fixed delay), on the hub's source
 * executor, with a time-out, exponential backoff after failures and the {@link SourceStatus}.
 *
 * <p>At most one poll of a source is in flight. A poll that overruns its time-out is counted as a
 * failure at once, but the next poll waits until the hung call returns (its result is discarded): a
 * source that hangs forever therefore holds one executor thread, never more, and is visible as
 * FAILING with "poll timed out". Other sources are not affected: each has its own runner.
 */
final class SourcePoller {
    private static final System.Logger LOG = System.getLogger(SourcePoller.class.getName());

    private final Channel channel;
    private final Duration interval;
    private final HubScheduler scheduler;
    private final RecentKeys keys;

    // Guarded by this.
    private boolean running;
    private boolean inFlight;
    private long attempt;
    private long timedOutAttempt = -1;
    private HubScheduler.Cancellable nextTick;
    private HubScheduler.Cancellable timeout;

    SourcePoller(Channel channel) {
        this.channel = channel;
        this.scheduler = channel.hub.scheduler;
        if (channel.source instanceof PolledSource p) {
            this.interval = p.interval();
            this.keys = null;
        } else {
            this.interval = ((IncrementalSource<?>) channel.source).interval();
            this.keys = new RecentKeys(channel.options.dedupCapacity());
        }
    }

    synchronized void start() {
        running = true;
        scheduleTick(Duration.ZERO);
    }

    synchronized void stop() {
        running = false;
        cancel(nextTick);
        cancel(timeout);
    }

    /** A stream that polls only while subscribed got its first subscriber: poll now, not at the next tick. */
    synchronized void firstSubscriber() {
        if (running && !inFlight && !channel.options.pollWhileIdle()) {
            cancel(nextTick);
            scheduleTick(Duration.ZERO);
        }
    }

    private void scheduleTick(Duration delay) {
        cancel(nextTick);
        nextTick = scheduler.schedule(this::tick, delay);
    }

    private static void cancel(HubScheduler.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    private void tick() {
        long id;
        synchronized (this) {
            if (!running || inFlight) {
                return;
            }
            if (!channel.options.pollWhileIdle() && channel.subscriberCount() == 0) {
                scheduleTick(interval); // idle: check again later (firstSubscriber() cuts the wait short)
                return;
            }
            inFlight = true;
            id = ++attempt;
            timeout = scheduler.schedule(() -> timedOut(id), channel.options.pollTimeout());
        }
        try {
            channel.hub.sourceExecutor.execute(() -> poll(id));
        } catch (RejectedExecutionException e) {
            finish(id, null, e);
        }
    }

    private void poll(long id) {
        Object result = null;
        Throwable failure = null;
        HubEvents.SourcePoll event = HubEvents.pollStarted();
        try {
            result = channel.source instanceof PolledSource p ? p.poll().call() : ((IncrementalSource<?>) channel.source).poll().call();
        } catch (Exception | LinkageError | AssertionError e) {
            failure = e;
        }
        HubEvents.pollEnded(event, channel.name, failure);
        finish(id, result, failure);
    }

    private void finish(long id, Object result, Throwable failure) {
        synchronized (this) {
            inFlight = false;
            cancel(timeout);
            if (id == timedOutAttempt) {
                // Already counted as failed when it timed out; its late result is discarded.
                if (running) {
                    scheduleTick(backoff());
                }
                return;
            }
        }
        if (failure == null) {
            try {
                publish(result);
            } catch (RuntimeException e) {
                failure = e; // e.g. the value cannot be serialized
            }
        }
        synchronized (this) {
            Instant now = Instant.ofEpochMilli(scheduler.currentTimeMillis());
            if (failure == null) {
                channel.status.succeeded(now);
            } else {
                channel.status.failed(SourceState.describe(failure), now);
                if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                    LOG.log(System.Logger.Level.DEBUG, "source " + channel.name + " failed", failure);
                }
            }
            if (running) {
                scheduleTick(failure == null ? interval : backoff());
            } else {
                channel.status.stopped();
            }
        }
    }

    private void publish(Object result) {
        if (result == null) {
            return;
        }
        if (keys == null) {
            channel.publish(channel.hub.codec.writeUtf8(result), !channel.options.sendUnchanged());
            return;
        }
        if (!(result instanceof Collection<?> items)) {
            throw new IllegalStateException("incremental source returned " + result.getClass().getName());
        }
        IncrementalSource<?> source = (IncrementalSource<?>) channel.source;
        for (Object item : items) {
            if (keys.add(keyOf(source, item))) {
                channel.publish(channel.hub.codec.writeUtf8(item), false);
            }
        }
    }

    private void timedOut(long id) {
        synchronized (this) {
            if (!inFlight || attempt != id) {
                return;
            }
            timedOutAttempt = id;
            channel.status.failed("poll timed out after " + channel.options.pollTimeout(),
                    Instant.ofEpochMilli(scheduler.currentTimeMillis()));
        }
    }

    /** minBackoff * 2^(failures-1), capped at maxBackoff; failures counted by the status. */
    private Duration backoff() {
        int failures = Math.max(1, channel.status.get().consecutiveFailures());
        Duration min = channel.options.minBackoff();
        Duration max = channel.options.maxBackoff();
        if (failures > 30) {
            return max;
        }
        Duration d = min.multipliedBy(1L << (failures - 1));
        return d.compareTo(max) > 0 ? max : d;
    }

    @SuppressWarnings("unchecked")
    private static <T> Object keyOf(IncrementalSource<T> source, Object item) {
        return source.key().apply((T) item);
    }
}
