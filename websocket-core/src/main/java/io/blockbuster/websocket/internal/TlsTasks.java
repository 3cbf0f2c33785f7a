package io.blockbuster.websocket.internal;

import javax.net.ssl.SSLEngine;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link SSLEngine} delegated tasks (the handshake's key exchange, signatures and certificate
 * checks: most of its CPU) off the event loops, so a burst of new TLS connections does not stall
 * the connections already open on a loop. A few daemon threads (half the cores), started on demand
 * and gone after 30 s idle; a bounded queue. When the queue is full the loop runs the task itself,
 * as it did before: slower for its other connections, never unbounded.
 */
final class TlsTasks {
    private static final int QUEUE = 1024;
    private final ThreadPoolExecutor pool;

    TlsTasks(String name) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs every task {@code engine} has, then {@code resume} on {@code loop}. */
    void run(SSLEngine engine, Executor loop, Runnable resume) {
        pool.execute(() -> {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
            loop.execute(resume);
        });
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
