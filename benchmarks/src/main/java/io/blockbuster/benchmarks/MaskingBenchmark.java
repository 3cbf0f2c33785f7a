package io.blockbuster.benchmarks;

import io.blockbuster.websocket.protocol.Masking;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Unmasking alone: {@code Masking.mask} over a whole payload in place (8 bytes at a time), against
 * the one-byte-at-a-time loop it replaces. Throughput in bytes/s = size / score. Both byte orders
 * are included because {@code ByteBuffer} defaults to big-endian, which on x86 and ARM once made
 * every getLong/putLong byte-swap; {@code Masking} now works in native-order words whatever the
 * buffer's order, so the two should score the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaskingBenchmark {

    @Param({"16", "125", "1024", "65536", "1048576"})
    public int size;

    @Param({"HEAP", "DIRECT"})
    public Fixtures.Memory memory;

    @Param({"BIG_ENDIAN", "LITTLE_ENDIAN"})
    public String order;

    private ByteBuffer buffer;

    @Setup
    public void setUp() {
        buffer = Fixtures.buffer(memory, Fixtures.payload(Fixtures.Content.BINARY, size));
        buffer.order(order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    @Benchmark
    public int blockbuster() {
        return Masking.mask(buffer, 0, size, Fixtures.MASK_KEY, 0);
    }

    @Benchmark
    public int byteLoop() {
        ByteBuffer b = buffer;
        int key = Fixtures.MASK_KEY;
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) (b.get(i) ^ (key >>> (24 - 8 * (i & 3)))));
        }
        return size & 3;
    }
}
