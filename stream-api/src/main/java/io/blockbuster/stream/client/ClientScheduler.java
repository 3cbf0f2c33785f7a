package io.blockbuster.stream.client;

import java.time.Duration;

/**
 * The {@link StreamClient}'s timer for reconnect delays. By default a client runs one daemon timer
 * thread of its own; tests pass a manual implementation and advance it instead of sleeping.
 * Implementations must be thread safe; a task must not run before its delay has passed.
 */
@FunctionalInterface
public interface ClientScheduler {

    /**
     * Runs {@code task} once after {@code delay}, on any thread.
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
