package io.blockbuster.websocket.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.websocket.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounded codec pool, alone and under several threads sharing one factory. */
class CodecPoolTest {
    @Test
    void keepsAtMostCapacityIdleAndEndsTheRest() {
        AtomicInteger created = new AtomicInteger();
        List<Object> ended = new ArrayList<>();
        CodecPool<Object> pool = new CodecPool<>(1, () -> {
            created.incrementAndGet();
            return new Object();
        }, ended::add);
        Object a = pool.take();
        Object b = pool.take();
        assertThat(created.get()).isEqualTo(2);
        pool.give(a);
        pool.give(b); // full: ended at once
        assertThat(ended).containsExactly(b);
        assertThat(pool.take()).isSameAs(a);
        pool.give(a);
        pool.clear();
        assertThat(ended).containsExactly(b, a);
        assertThat(pool.idleCount()).isZero();
    }

    @Test
    void connectionsOnSeveralThreadsShareTheFactorysPoolsCorrectly() throws Exception {
        PerMessageDeflate server = PerMessageDeflate.builder().poolSize(2).minCompressBytes(0).build();
        PerMessageDeflate client = PerMessageDeflate.builder().minCompressBytes(0).build();
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int c = 0; c < 20; c++) {
                        PerMessageDeflateExtension s = server.acceptOffer(client.offers().get(0));
                        PerMessageDeflateExtension k = client.acceptResponse(s.response());
                        for (int m = 0; m < 10; m++) {
                            byte[] msg = PerMessageDeflateExtensionTest.ticks(200 + 50 * m, seed * 1000 + c * 10 + m);
                            ByteBuffer wire = s.encodeMessage(Opcode.TEXT, ByteBuffer.wrap(msg)).payload();
                            ByteBuffer back = k.decodeMessage(PerMessageDeflateExtension.RSV1, wire, 1 << 20);
                            ByteBuffer up = k.encodeMessage(Opcode.TEXT, back).payload();
                            ByteBuffer got = s.decodeMessage(PerMessageDeflateExtension.RSV1, up, 1 << 20);
                            if (got.equals(ByteBuffer.wrap(msg))) {
                                ok++;
                            }
                        }
                        s.close();
                        k.close();
                    }
                    return ok;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        // Every codec made is idle in the pool or was ended (none leaked, none ended twice), never more
        // idle than the pool holds, and codecs were reused: far fewer made than the 1,200 messages
        // each direction transformed. (Made over time may exceed the threads: a codec given back to a
        // full pool is ended, and a later take makes a new one.)
        for (CodecPool<?> p : List.of(server.deflaterPool(), server.inflaterPool())) {
            assertThat(p.createdCount()).isEqualTo(p.idleCount() + p.endedCount()).isBetween(1, 1199);
            assertThat(p.idleCount()).isLessThanOrEqualTo(2);
        }
    }
}
