package io.blockbuster.websocket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Coarse before/after counts of what a misbehaving peer could leak: file descriptors (entries of
 * /proc/self/fd, where there is one), live threads and heap in use after a GC. {@link #assertBack}
 * waits, with a generous deadline, until each is back within its tolerance: closing, reaping and
 * collecting take their own time on a loaded machine, so it polls a condition instead of sleeping.
 */
final class Leaks {
    private static final Path FDS = Path.of("/proc/self/fd");
    /** Some fds come and go with the JVM itself (jar files, the surefire channel). */
    static final long FD_TOLERANCE = 10;
    static final long THREAD_TOLERANCE = 2;
    /** Heap is noisy; what we guard against is a leak of the attack's size, tens of MiB. */
    static final long HEAP_TOLERANCE_BYTES = 24L << 20;

    private final long fds;
    private final long threads;
    private final long heap;

    private Leaks(long fds, long threads, long heap) {
        this.fds = fds;
        this.threads = threads;
        this.heap = heap;
    }

    static Leaks snapshot() {
        return new Leaks(fdCount(), threadCount(), heapAfterGc());
    }

    static long fdCount() {
        if (!Files.isDirectory(FDS)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(FDS)) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    static long threadCount() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
    }

    static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Waits up to 30 s until fds, threads and heap are back near the snapshot. */
    void assertBack() throws InterruptedException {
        if (fds >= 0) {
            Await.atMost("file descriptors", Leaks::fdCount, fds + FD_TOLERANCE);
        }
        Await.atMost("live threads", Leaks::threadCount, threads + THREAD_TOLERANCE);
        Await.atMost("heap in use after GC", Leaks::heapAfterGc, heap + HEAP_TOLERANCE_BYTES);
    }
}
