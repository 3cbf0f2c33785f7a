package io.blockbuster.stream.internal;

import io.blockbuster.stream.HubScheduler;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The closes of subscribers shed for delivery lag, run on the hub's timer a few at a time. A close is
 * a close handshake on the subscriber's event loop, the loop that is behind; thousands at once would
 * put it further behind and make the deliveries of the subscribers it kept late as well. Spread out,
 * they cost the loop a little per tick. The shed subscribers get nothing meanwhile (they are marked
 * inactive before they wait here). Thread safe.
 */
final class LateCloses {
    /** Closes per tick: at most 6,400 a second. */
    static final int PER_TICK = 64;
    static final Duration TICK = Duration.ofMillis(10);

    private final HubScheduler scheduler;
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    LateCloses(HubScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs {@code close} on the timer, after the closes waiting already. */
    void add(Runnable close) {
        waiting.add(close);
        if (scheduled.compareAndSet(false, true)) {
            scheduler.schedule(this::run, Duration.ZERO);
        }
    }

    private void run() {
        Runnable close;
        for (int i = 0; i < PER_TICK && (close = waiting.poll()) != null; i++) {
            close.run();
        }
        scheduled.set(false);
        // A close added before the line above found the task still scheduled and left it to us.
        if (!waiting.isEmpty() && scheduled.compareAndSet(false, true)) {
            scheduler.schedule(this::run, TICK);
        }
    }
}
