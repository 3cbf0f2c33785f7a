package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Decoding and encoding binary and control frames allocates nothing per frame once warm. Uses the
 * per-thread allocation counter, which counts only this thread, so the bound does not depend on
 * timing or on other threads. The bound (1 byte per frame on average) leaves room for one-off
 * allocations such as the counter's own bookkeeping while failing on any per-frame object.
 */
class SteadyStateAllocationTest {
    private static final int FRAMES = 200_000;

    @Test
    void decodingAndAssemblingBinaryAndPingFramesAllocatesNothingPerFrame() {
        assertReceivingAllocatesNothingPerFrame(Opcode.PING, sink -> {
            FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1 << 20);
            MessageAssembler assembler = new MessageAssembler(ProtocolLimits.DEFAULT, List.of(), sink);
            return wire -> decoder.decode(wire, assembler);
        });
    }

    /**
     * The same through a connection's {@link ProtocolSession}, with pongs instead of pings (a ping
     * owes a pong, a new frame by nature): delivering owes nothing and allocates nothing per frame.
     */
    @Test
    void receivingBinaryAndPongFramesThroughTheSessionAllocatesNothingPerFrame() {
        boolean[] owed = {false};
        assertReceivingAllocatesNothingPerFrame(Opcode.PONG, sink -> {
            ProtocolSession session = new ProtocolSession(Role.SERVER, ProtocolLimits.DEFAULT, sink, (opcode, p) -> {
                throw new AssertionError("nothing is owed, yet the session sent a " + opcode);
            });
            session.open(List.of());
            return wire -> owed[0] |= session.receive(wire);
        });
        assertThat(owed[0]).isFalse();
    }

    /**
     * Has {@code receiver} (given the sink) take rounds of 2,000 client frames, 100-byte binary
     * messages and empty {@code control} frames alternating: 300 rounds to warm up, then
     * {@link #FRAMES} frames over which this thread's allocation is counted.
     */
    private static void assertReceivingAllocatesNothingPerFrame(Opcode control,
                                                                Function<MessageSink, Consumer<ByteBuffer>> receiver) {
        AllocationCounter mx = AllocationCounter.create();
        FrameEncoder client = new FrameEncoder(Role.CLIENT, () -> 0x11223344);
        ByteBuffer wire = clientFrames(client, control);
        long[] count = {0};
        Consumer<ByteBuffer> receive = receiver.apply(new NullSink(count));
        // Unmasking in place changes the buffer, so each round re-masks it: masking is its own inverse.
        Runnable round = () -> {
            wire.clear();
            receive.accept(wire);
            remask(wire, client);
        };
        for (int i = 0; i < 300; i++) {
            round.run(); // warm up
        }
        long before = mx.bytes();
        int rounds = FRAMES / 2000;
        for (int i = 0; i < rounds; i++) {
            round.run();
        }
        long allocated = mx.bytes() - before;
        assertThat(count[0]).isEqualTo(2000L * (300 + rounds));
        assertThat(allocated).as("bytes allocated for %d frames", FRAMES).isLessThan(FRAMES);
    }

    /** One buffer of client frames: masked 100-byte binary messages and empty {@code control} frames, alternating. */
    private static ByteBuffer clientFrames(FrameEncoder client, Opcode control) {
        ByteBuffer wire = ByteBuffer.allocate(1000 * (client.frameLength(100) + client.frameLength(0)));
        ByteBuffer payload = ByteBuffer.allocate(100);
        ByteBuffer empty = ByteBuffer.allocate(0);
        for (int i = 0; i < 1000; i++) {
            client.encodeFrame(true, 0, Opcode.BINARY, payload.clear(), wire);
            client.encodeFrame(true, 0, control, empty.clear(), wire);
        }
        return wire.flip();
    }

    @Test
    void encodingFramesAllocatesNothingPerFrame() {
        AllocationCounter mx = AllocationCounter.create();
        FrameEncoder server = new FrameEncoder(Role.SERVER, null);
        FrameEncoder client = new FrameEncoder(Role.CLIENT, () -> 0x55667788);
        ByteBuffer payload = ByteBuffer.allocateDirect(1024);
        ByteBuffer dst = ByteBuffer.allocateDirect(4096);
        Runnable round = () -> {
            for (int i = 0; i < 1000; i++) {
                dst.clear();
                server.encodeFrame(true, 0, Opcode.BINARY, payload.clear(), dst);
                client.encodeFrame(true, 0, Opcode.BINARY, payload.clear(), dst);
            }
        };
        for (int i = 0; i < 200; i++) {
            round.run();
        }
        long before = mx.bytes();
        for (int i = 0; i < FRAMES / 2000; i++) {
            round.run();
        }
        long allocated = mx.bytes() - before;
        assertThat(allocated).as("bytes allocated for %d frames", FRAMES).isLessThan(FRAMES);
    }

    private static void remask(ByteBuffer wire, FrameEncoder client) {
        // Frame layout is fixed: [82 e4 key(4) payload(100)] [89 80 key(4)], key 0x11223344.
        int frame = FrameEncoder.headerLength(100, true) + 100 + FrameEncoder.headerLength(0, true);
        for (int at = 0; at < wire.limit(); at += frame) {
            int start = at + FrameEncoder.headerLength(100, true);
            Masking.mask(wire, start, start + 100, 0x11223344, 0);
        }
    }

    /**
     * The current thread's allocated bytes, through reflection: the tests are compiled inside the
     * module, which does not (and should not) read java.management.
     */
    private static final class AllocationCounter {
        private final Object bean;
        private final Method allocatedBytes;

        private AllocationCounter(Object bean, Method allocatedBytes) {
            this.bean = bean;
            this.allocatedBytes = allocatedBytes;
        }

        static AllocationCounter create() {
            try {
                Object bean = Class.forName("java.lang.management.ManagementFactory")
                        .getMethod("getThreadMXBean").invoke(null);
                Class<?> api = Class.forName("com.sun.management.ThreadMXBean");
                // A skipped allocation test proves nothing: every JDK we build on (HotSpot) has the counter.
                if (!api.isInstance(bean)
                        || !(Boolean) api.getMethod("isThreadAllocatedMemoryEnabled").invoke(bean)) {
                    throw new AssertionError("the JVM's per-thread allocation counter is unavailable or disabled");
                }
                return new AllocationCounter(bean, api.getMethod("getThreadAllocatedBytes", long.class));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("the JVM's per-thread allocation counter is unavailable", e);
            }
        }

        long bytes() {
            try {
                return (Long) allocatedBytes.invoke(bean, Thread.currentThread().getId());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static final class NullSink implements MessageSink {
        private final long[] count;

        NullSink(long[] count) {
            this.count = count;
        }

        @Override
        public void onText(String text) {
            count[0]++;
        }

        @Override
        public void onBinary(ByteBuffer data) {
            count[0]++;
        }

        @Override
        public void onPing(ByteBuffer payload) {
            count[0]++;
        }

        @Override
        public void onPong(ByteBuffer payload) {
            count[0]++;
        }

        @Override
        public void onClose(int code, String reason) {
            count[0]++;
        }
    }
}
