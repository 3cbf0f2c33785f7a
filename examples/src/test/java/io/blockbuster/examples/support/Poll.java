package io.blockbuster.examples.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Waiting in tests for something that signals nothing the test can block on (a page in a browser, a
 * file another process writes, an HTTP endpoint coming up): observe again until the observation is
 * what was waited for, failing only after a generous deadline that a healthy run never reaches. The
 * one polling loop of the examples' tests; a caller with a better signal passes it as the pause (the
 * browser test waits for the page to change rather than for a fixed time).
 */
public final class Poll {

    /** One look at the thing waited for; may return null (e.g. "not there yet"). */
    @FunctionalInterface
    public interface Observation<T> {
        T look() throws Exception;
    }

    /** What to do between looks: block until something may have changed, or pause briefly. */
    @FunctionalInterface
    public interface Pause {
        void await() throws Exception;

        /** A fixed short pause, for sources that offer nothing to wait on. */
        static Pause briefly(Duration interval) {
            return () -> LockSupport.parkNanos(interval.toNanos());
        }
    }

    private Poll() {
    }

    /**
     * Returns the first observation {@code done} accepts. After {@code timeout} throws what
     * {@code onTimeout} makes of the last observation (with which a failure can say what it saw).
     */
    public static <T, X extends Throwable> T until(Duration timeout, Observation<T> observation, Predicate<T> done,
                                            Pause pause, Function<T, X> onTimeout) throws Exception, X {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T seen = observation.look();
            if (done.test(seen)) {
                return seen;
            }
            if (System.nanoTime() - deadline > 0) {
                throw onTimeout.apply(seen);
            }
            pause.await();
        }
    }
}
