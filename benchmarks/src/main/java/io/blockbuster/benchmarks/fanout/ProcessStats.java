package io.blockbuster.benchmarks.fanout;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a process can say about itself: heap (after a full GC for the footprint), resident set, CPU
 * time, and, for the publishing window, its collections and the bytes its threads allocated.
 */
record ProcessStats(long heapUsedBytes, long rssBytes, long cpuNanos, long wallNanos, long gcCount, long gcMillis,
                    long allocatedBytes) {

    /** Runs a full GC first (twice, to let finalization-free objects go), then samples. */
    static ProcessStats sampleAfterGc() {
        System.gc();
        System.gc();
        return sample();
    }

    static ProcessStats sample() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return new ProcessStats(memory.getHeapMemoryUsage().getUsed(), rss(), processCpuNanos(), System.nanoTime(),
                gcCount, gcMillis, threadsAllocatedBytes());
    }

    /** Bytes allocated so far by the threads alive now (the server's threads live for the whole run), or -1. */
    static long threadsAllocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)) {
            return -1;
        }
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** VmRSS from /proc/self/status (Linux), or -1. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    String toLine() {
        return "heap=" + heapUsedBytes + " rss=" + rssBytes + " cpu=" + cpuNanos + " wall=" + wallNanos
                + " gcs=" + gcCount + " gcms=" + gcMillis + " alloc=" + allocatedBytes;
    }

    static ProcessStats parse(String line) {
        long heap = 0;
        long rss = 0;
        long cpu = 0;
        long wall = 0;
        long gcs = 0;
        long gcms = 0;
        long alloc = 0;
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            long value = Long.parseLong(part.substring(eq + 1));
            switch (part.substring(0, eq)) {
                case "heap" -> heap = value;
                case "rss" -> rss = value;
                case "cpu" -> cpu = value;
                case "wall" -> wall = value;
                case "gcs" -> gcs = value;
                case "gcms" -> gcms = value;
                case "alloc" -> alloc = value;
                default -> { }
            }
        }
        return new ProcessStats(heap, rss, cpu, wall, gcs, gcms, alloc);
    }
}
