package io.blockbuster.stream;

import java.time.Duration;

/**
 * The hub's only source of time: clocks and delayed tasks. Tests pass a manual implementation and
 * advance it, so nothing in the hub needs a real sleep; by default a hub runs on the system clocks
 * and one daemon timer thread of its own.
 *
 * <p>Implementations must be thread safe. Tasks may run on any thread; a task must not be run before
 * its delay has passed on {@link #nanoTime()}.
 */
public interface HubScheduler {

    /** Wall-clock time in milliseconds since the epoch, for message timestamps and status. */
    long currentTimeMillis();

    /** Monotonic time in nanoseconds, for rate limits and delays. */
    long nanoTime();

    /**
     * Runs {@code task} once after {@code delay}.
     *
     * @return a handle whose {@link Cancellable#cancel()} prevents the run if it has not started
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Prevents the task from running if it has not started; idempotent. */
        void cancel();
    }

}
