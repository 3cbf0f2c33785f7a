package io.blockbuster.websocket.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One thread, one selector: runs the I/O of many connections, tasks handed in from other threads,
 * and the loop's single {@link TimerHeap}. The selector sleeps until I/O, a task or the earliest
 * deadline, so an idle loop uses no CPU.
 *
 * <p>Each iteration: select and handle ready keys, run queued tasks, run expired timers. Everything a
 * connection owns is touched only on its loop's thread, except what its send path hands over
 * through {@link #execute(Runnable)}.
 */
final class EventLoop implements Runnable, Executor {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");
    /** Pool buffer size: large enough for one TLS record (16 KiB + overhead) both ways. */
    static final int BUFFER_BYTES = 32 * 1024;
    private static final int MAX_POOLED = 32;
    /** Most buffers handed to one gathering write. */
    static final int GATHER_MAX = 64;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final TimerHeap timers = new TimerHeap();
    private final BufferPool pool = new BufferPool(BUFFER_BYTES, MAX_POOLED);
    /** Shared scratch array for gathering writes; used only inside one flush at a time. */
    final ByteBuffer[] gather = new ByteBuffer[GATHER_MAX];
    /** Direct staging buffer for plain sockets' writes (see {@link PlainTransport}); one write at a time. */
    static final int WRITE_STAGE_BYTES = 64 * 1024;
    private ByteBuffer writeStage;
    private volatile boolean running = true;
    private final Consumer<SelectionKey> onReady = this::handleReady;

    /** {@code daemon}: whether the thread lets the JVM exit while it runs (see the builders' daemonThreads). */
    EventLoop(String name, boolean daemon) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this, name);
        this.thread.setDaemon(daemon);
    }

    void start() {
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    Selector selector() {
        return selector;
    }

    BufferPool pool() {
        return pool;
    }

    /** The loop's direct staging buffer for writes, allocated on first use. Loop thread. */
    ByteBuffer writeStage() {
        if (writeStage == null) {
            writeStage = ByteBuffer.allocateDirect(WRITE_STAGE_BYTES);
        }
        return writeStage;
    }

    TimerHeap timers() {
        return timers;
    }

    /** Runs {@code task} on the loop thread, after the current iteration's I/O. Any thread. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Asks the loop to close every channel still registered and end its thread. Any thread. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    /** Waits for the thread to end. */
    boolean join(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    @Override
    public void run() {
        LOG.log(Level.DEBUG, "event loop {0} started", thread.getName());
        try {
            while (running) {
                wakeupPending.set(false);
                // Ready keys go straight to their handlers (select with an action): no selected-key
                // set to fill, iterate and empty for every ready channel.
                if (!tasks.isEmpty()) {
                    selector.selectNow(onReady);
                } else {
                    long next = timers.nextDeadline();
                    if (next == Long.MAX_VALUE) {
                        selector.select(onReady);
                    } else {
                        long waitNanos = next - System.nanoTime();
                        if (waitNanos <= 0) {
                            selector.selectNow(onReady);
                        } else {
                            selector.select(onReady, Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
                        }
                    }
                }
                if (!running) {
                    break;
                }
                runTasks();
                if (timers.size() > 0) {
                    timers.runExpired(System.nanoTime());
                }
            }
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "event loop " + thread.getName() + " failed", t);
        } finally {
            closeAll();
            LOG.log(Level.DEBUG, "event loop {0} stopped", thread.getName());
        }
    }

    private void handleReady(SelectionKey key) {
        if (!key.isValid() || !running) {
            return;
        }
        IoHandler handler = (IoHandler) key.attachment();
        try {
            handler.onReady(key);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "I/O handler failed", e);
        }
    }

    private void runTasks() {
        // Bounded, so a storm of tasks cannot starve I/O; the rest run in the next iteration.
        for (int i = 0; i < 4096; i++) {
            Runnable r = tasks.poll();
            if (r == null) {
                return;
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event loop task failed", e);
            }
        }
    }

    private void closeAll() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "task failed while stopping", e);
            }
        }
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        for (SelectionKey key : keys) {
            Object a = key.attachment();
            if (a instanceof IoHandler) {
                try {
                    ((IoHandler) a).onLoopStopped();
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "handler failed while stopping", e);
                }
            }
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
