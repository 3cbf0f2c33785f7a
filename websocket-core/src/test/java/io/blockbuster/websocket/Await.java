package io.blockbuster.websocket;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The one way this module's tests wait for something that happens on another thread: poll a
 * condition until it holds, failing after a generous bound (the build box is small and shared).
 */
public final class Await {
    /** How long a condition may take before the test fails. */
    public static final long SECONDS = 30;

    private Await() {
    }

    /** Returns once {@code condition} holds; fails after {@value #SECONDS} s, naming {@code what}. */
    public static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + SECONDS + " s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // between polls of the condition
        }
    }

    /** Returns once {@code value} is at most {@code bound}; fails after {@value #SECONDS} s with the last value. */
    public static void atMost(String what, LongSupplier value, long bound) {
        long[] last = new long[1];
        try {
            until(() -> (last[0] = value.getAsLong()) <= bound, what);
        } catch (AssertionError e) {
            throw new AssertionError(what + " not back within " + SECONDS + " s: " + last[0] + " > " + bound);
        }
    }
}
