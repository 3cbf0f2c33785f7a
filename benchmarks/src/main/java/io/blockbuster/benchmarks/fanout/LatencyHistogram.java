package io.blockbuster.benchmarks.fanout;

/**
 * A log-linear histogram of nanosecond latencies: exact below 128 ns, then 64 linear sub-buckets per
 * power of two, so a value is reported at most 1/64 (1.6 %) above its true value (and never above
 * the recorded maximum). Single writer; merge copies of
 * several writers with {@link #add}. Recording is two shifts and an increment, no allocation.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 7;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    private static final int BUCKETS = 64 - SUB_BITS;

    private final long[] counts = new long[(BUCKETS + 1) * SUB_COUNT];
    private long total;
    private long max;
    private long min = Long.MAX_VALUE;

    public void record(long nanos) {
        long v = nanos < 0 ? 0 : nanos;
        counts[index(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
        if (v < min) {
            min = v;
        }
    }

    private static int index(long v) {
        if (v < SUB_COUNT) {
            return (int) v;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS + 1; // >= 1
        int sub = (int) (v >>> magnitude) - SUB_COUNT / 2;                // 0 .. SUB_COUNT/2 - 1
        return SUB_COUNT + (magnitude - 1) * (SUB_COUNT / 2) + sub;
    }

    /** The highest value that maps to bucket {@code i}. */
    private static long upperBound(int i) {
        if (i < SUB_COUNT) {
            return i;
        }
        int j = i - SUB_COUNT;
        int magnitude = j / (SUB_COUNT / 2) + 1;
        long sub = j % (SUB_COUNT / 2) + SUB_COUNT / 2;
        return ((sub + 1) << magnitude) - 1;
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
    }

    public long count() {
        return total;
    }

    public long max() {
        return total == 0 ? 0 : max;
    }

    public long min() {
        return total == 0 ? 0 : min;
    }

    /** The value at {@code quantile} (0..1), never above the true maximum. */
    public long valueAt(double quantile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }
}
