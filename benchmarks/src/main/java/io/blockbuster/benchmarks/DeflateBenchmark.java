package io.blockbuster.benchmarks;

import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.deflate.PerMessageDeflateExtension;
import io.blockbuster.websocket.protocol.EncodedPayload;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * permessage-deflate round trip of a JSON text message: the server side compresses it
 * (encodeMessage) and the client side inflates it (decodeMessage), as negotiated from a browser's
 * bare offer; and {@link #compressShared}, the once-per-broadcast compression. The payload is a run
 * of network_metrics envelopes with varying numbers (so it compresses like real stream traffic, not
 * like a repeated string). {@code takeover}: false is the library's server default (no context
 * takeover, no per-connection window); true keeps the window across messages.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DeflateBenchmark {

    @Param({"256", "16384"})
    public int size;

    @Param({"false", "true"})
    public boolean takeover;

    private ByteBuffer payload;
    private PerMessageDeflate factory;
    private PerMessageDeflateExtension server;
    private PerMessageDeflateExtension client;
    private int compressedBytes;

    @Setup
    public void setUp() {
        payload = ByteBuffer.wrap(json(size));
        factory = PerMessageDeflate.builder().serverNoContextTakeover(!takeover).clientNoContextTakeover(!takeover)
                .minCompressBytes(128).build();
        server = factory.acceptOffer(new ExtensionOffer(PerMessageDeflate.NAME, Map.of()));
        client = PerMessageDeflate.builder().build().acceptResponse(server.response());
        EncodedPayload encoded = server.encodeMessage(Opcode.TEXT, payload.duplicate());
        compressedBytes = encoded.payload().remaining();
        ByteBuffer back = client.decodeMessage(encoded.rsv(), encoded.payload(), Long.MAX_VALUE);
        if (!back.equals(payload.duplicate())) {
            throw new IllegalStateException("round trip changed the message");
        }
        System.out.printf(Locale.ROOT, "%n[deflate] %d bytes -> %d bytes compressed (takeover %s)%n",
                size, compressedBytes, takeover);
    }

    @TearDown
    public void tearDown() {
        server.close();
        client.close();
        factory.close();
    }

    /** Compress on the server, inflate on the client. */
    @Benchmark
    public ByteBuffer roundTrip() {
        EncodedPayload encoded = server.encodeMessage(Opcode.TEXT, payload.duplicate());
        return client.decodeMessage(encoded.rsv(), encoded.payload(), Long.MAX_VALUE);
    }

    /** The server's half alone. */
    @Benchmark
    public EncodedPayload compress() {
        return server.encodeMessage(Opcode.TEXT, payload.duplicate());
    }

    /** A broadcast compressed once into a frame every connection without context takeover can write. */
    @Benchmark
    public Object compressShared() {
        return factory.compressShared(Opcode.TEXT, payload.duplicate());
    }

    /** About {@code size} bytes of network_metrics envelopes, varied with a fixed seed. */
    static byte[] json(int size) {
        Random random = new Random(7);
        StringBuilder out = new StringBuilder(size + 256);
        long height = 18_734_512L;
        while (out.length() < size) {
            out.append(String.format(Locale.ROOT,
                    "{\"type\":\"network_metrics\",\"data\":{\"network_strength\":%.1f,\"block_height\":%d,"
                            + "\"finality_time\":%.2f,\"peer_count\":%d,\"tps\":%.1f,\"bandwidth_in\":%d,"
                            + "\"bandwidth_out\":%d,\"active_connections\":%d},\"timestamp\":%d}",
                    90 + random.nextDouble() * 10, height++, 1 + random.nextDouble() * 3, 100 + random.nextInt(80),
                    1000 + random.nextDouble() * 1500, 40_000_000L + random.nextInt(20_000_000),
                    20_000_000L + random.nextInt(20_000_000), 9000 + random.nextInt(2000),
                    1_732_567_890_123L + random.nextInt(100_000)));
        }
        out.setLength(size);
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
