package io.blockbuster.testsupport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A polling wait for tests, for conditions that signal nothing a test can block on (a process
 * that starts answering, a counter on another node): look again every few milliseconds until the
 * condition holds, failing only after a deadline generous enough for a loaded two-core machine.
 */
public final class Await {
    /** How long a condition may take before the test fails. */
    public static final Duration WAIT = Duration.ofSeconds(60);

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
            LockSupport.parkNanos(5_000_000); // between polls of the condition, not a wait for time to pass
        }
    }
}
