package io.blockbuster.stream.internal;

import io.blockbuster.stream.OutboundMessage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One channel's deliveries to the subscribers that share one executor: published messages wait
 * here in seq order, and one task on that executor delivers what has gathered, so a publisher that
 * runs ahead of the executor adds no tasks, only batches. Each message is offered to and
 * drained into every subscriber before the next: a subscriber that keeps up never holds more than
 * one in the hub, however far the executor lags.
 */
public final class ExecutorDelivery implements Runnable {
    /** Messages delivered per task before the executor's thread gets back to its other work. */
    public static final int MAX_BATCHES_PER_RUN = 16;
    private final Executor executor;
    private final String stream;
    private final ConcurrentLinkedQueue<Batch> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private record Batch(Subscription[] members, OutboundMessage message) {
    }

    ExecutorDelivery(Executor executor, String stream) {
        this.executor = executor;
        this.stream = stream;
    }

    Executor executor() {
        return executor;
    }

    /**
     * Queues {@code message} for {@code members} and makes sure a task will run; false if the
     * executor refused the task (then the caller must {@link #run()} it itself).
     */
    boolean add(Subscription[] members, OutboundMessage message) {
        pending.add(new Batch(members, message));
        if (!scheduled.compareAndSet(false, true)) {
            return true;
        }
        try {
            executor.execute(this);
            return true;
        } catch (RuntimeException refused) { // RejectedExecutionException: e.g. shutting down
            scheduled.set(false);
            return false;
        }
    }

    /**
     * Delivers the waiting messages in order, at most {@value #MAX_BATCHES_PER_RUN} of them, then
     * yields the thread: an event loop must get back to writing what these sends queued (several
     * messages to one subscriber then leave in one write), and a publisher that never pauses must
     * not keep it here for ever.
     */
    @Override
    public void run() {
        while (true) {
            Batch b;
            for (int i = 0; i < MAX_BATCHES_PER_RUN && (b = pending.poll()) != null; i++) {
                // The latest message: write each subscriber's at once. Others behind it: let them gather.
                deliver(b, pending.isEmpty());
            }
            scheduled.set(false);
            // A batch added before the line above found a run still scheduled and left it to us.
            if (pending.isEmpty() || !scheduled.compareAndSet(false, true)) {
                return;
            }
            try {
                executor.execute(this);
                return;
            } catch (RuntimeException refused) {
                // shutting down: go on here (still marked scheduled, so publishers leave it to us)
            }
        }
    }

    private void deliver(Batch b, boolean flushEach) {
        for (Subscription s : b.members) {
            if (s.session.offer(s, b.message)) {
                s.session.drain();
                if (flushEach) {
                    s.session.transport.flush();
                }
            } else {
                s.session.closeSlowConsumer(stream);
            }
        }
    }
}
