package io.blockbuster.stream;

import io.blockbuster.stream.client.ClientScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** A scheduler whose time moves only when a test calls {@link #advance(Duration)}; tasks run on the caller. */
public final class ManualScheduler implements HubScheduler {
    private record Task(long dueNanos, long order, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order));
    private long nowNanos;
    private long order;
    private final long epochMillis = 1_764_000_000_000L;

    @Override
    public synchronized long currentTimeMillis() {
        return epochMillis + nowNanos / 1_000_000;
    }

    @Override
    public synchronized long nanoTime() {
        return nowNanos;
    }

    /** The same clock as a client's timer, so a test moves hub and client time together. */
    public ClientScheduler forClient() {
        return (task, delay) -> schedule(task, delay)::cancel;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        tasks.add(new Task(nowNanos + Math.max(0, delay.toNanos()), order++, task, cancelled));
        return () -> {
            synchronized (ManualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves time forward by {@code d}, running every task that falls due, in order. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = nowNanos + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.dueNanos > target) {
                    nowNanos = target;
                    return;
                }
                tasks.poll();
                nowNanos = Math.max(nowNanos, next.dueNanos);
                if (next.cancelled[0]) {
                    continue;
                }
            }
            next.run.run();
        }
    }

    /** Runs what is due now. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    public synchronized int pending() {
        List<Task> live = new ArrayList<>();
        for (Task t : tasks) {
            if (!t.cancelled[0]) {
                live.add(t);
            }
        }
        return live.size();
    }
}
