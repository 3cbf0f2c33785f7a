package io.blockbuster.benchmarks.deflate;

import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.deflate.PerMessageDeflateExtension;

import io.blockbuster.websocket.protocol.EncodedPayload;
import io.blockbuster.websocket.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * Rough cost of permessage-deflate per message (not JMH: a warmed-up loop, good to a few tens of
 * percent): compression ratio and microseconds to compress and to inflate a stream of JSON ticks,
 * with and without context takeover. A main program for BENCHMARKS.md:
 *
 * <pre>
 * java -cp websocket-core/target/classes:websocket-core/target/test-classes \
 *     io.blockbuster.websocket.deflate.DeflateCost [messageBytes]
 * </pre>
 */
public final class DeflateCost {
    private DeflateCost() {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        byte[][] messages = new byte[256][];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = ticks(size, i);
        }
        for (boolean noContext : new boolean[] {true, false}) {
            PerMessageDeflate config = PerMessageDeflate.builder().serverNoContextTakeover(noContext)
                    .clientNoContextTakeover(noContext).minCompressBytes(0).build();
            try (PerMessageDeflateExtension server = config.acceptOffer(config.offers().get(0));
                 PerMessageDeflateExtension client = config.acceptResponse(server.response())) {
                run(server, client, messages, 20_000); // warm-up
                long[] r = run(server, client, messages, 100_000);
                System.out.printf("%d-byte messages, %s: %.1f%% of original size, compress %.1f us, inflate %.1f us%n",
                        size, noContext ? "no context takeover" : "context takeover",
                        100.0 * r[0] / ((long) size * 100_000), r[1] / 1000.0 / 100_000, r[2] / 1000.0 / 100_000);
            }
        }
    }

    /** Returns {compressed bytes, ns compressing, ns inflating}. */
    private static long[] run(PerMessageDeflateExtension server, PerMessageDeflateExtension client, byte[][] messages, int n) {
        long bytes = 0;
        long compressNs = 0;
        long inflateNs = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            EncodedPayload e = server.encodeMessage(Opcode.TEXT, ByteBuffer.wrap(messages[i & 255]));
            long t1 = System.nanoTime();
            bytes += e.payload().remaining();
            client.decodeMessage(e.rsv(), e.payload(), 1 << 20);
            long t2 = System.nanoTime();
            compressNs += t1 - t0;
            inflateNs += t2 - t1;
        }
        return new long[] {bytes, compressNs, inflateNs};
    }

    /** JSON-like ticks of {@code length} bytes, different for each seed (as the deflate tests use). */
    static byte[] ticks(int length, int seed) {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder sb = new StringBuilder(length + 64);
        while (sb.length() < length) {
            sb.append("{\"symbol\":\"BLK").append(r.nextInt(20)).append("\",\"price\":")
                    .append(r.nextInt(100_000) / 100.0).append(",\"qty\":").append(r.nextInt(500)).append("},");
        }
        return sb.substring(0, length).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
