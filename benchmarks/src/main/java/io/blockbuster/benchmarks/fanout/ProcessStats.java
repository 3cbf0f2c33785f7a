package io.blockbuster.benchmarks.fanout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a process can say about its own footprint: heap after a full GC, resident set, CPU time. */
record ProcessStats(long heapUsedBytes, long rssBytes, long cpuNanos, long wallNanos) {

    /** Runs a full GC first (twice, to let finalization-free objects go), then samples. */
    static ProcessStats sampleAfterGc() {
        System.gc();
        System.gc();
        return sample();
    }

    static ProcessStats sample() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return new ProcessStats(memory.getHeapMemoryUsage().getUsed(), rss(), processCpuNanos(), System.nanoTime());
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
        return "heap=" + heapUsedBytes + " rss=" + rssBytes + " cpu=" + cpuNanos + " wall=" + wallNanos;
    }

    static ProcessStats parse(String line) {
        long heap = 0;
        long rss = 0;
        long cpu = 0;
        long wall = 0;
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
                default -> { }
            }
        }
        return new ProcessStats(heap, rss, cpu, wall);
    }
}
