package io.blockbuster.stream;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one polling wait of stream-api's tests, for conditions that signal nothing a test can block on
 * (a counter of the hub, a socket count): look again every millisecond until true, failing only
 * after a deadline generous enough for a loaded two-core machine.
 */
public final class Await {
    /** How long any wait may take before the test fails. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails after {@link #WAIT} saying {@code what}. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, () -> what);
    }

    /** As {@link #until(BooleanSupplier, String)}, with a description made at failure (it may show state). */
    public static void until(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what.get());
            }
            LockSupport.parkNanos(1_000_000); // polling a condition, not waiting for time to pass
        }
    }
}
