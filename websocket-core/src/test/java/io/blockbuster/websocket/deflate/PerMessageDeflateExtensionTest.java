package io.blockbuster.websocket.deflate;

import io.blockbuster.websocket.protocol.Hex;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.protocol.EncodedPayload;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.WebSocketProtocolException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One negotiated connection, both ends in memory: what goes out, what comes back, what it costs. */
class PerMessageDeflateExtensionTest {
    private static final long LIMIT = 1 << 20;
    private static final int RSV1 = PerMessageDeflateExtension.RSV1;

    /** A server and the client that negotiated with it, from one offer. */
    record Pair(PerMessageDeflateExtension server, PerMessageDeflateExtension client) implements AutoCloseable {
        static Pair negotiate(PerMessageDeflate serverSide, PerMessageDeflate clientSide) {
            ExtensionOffer offer = clientSide.offers().get(0);
            PerMessageDeflateExtension s = serverSide.acceptOffer(offer);
            return new Pair(s, clientSide.acceptResponse(s.response()));
        }

        @Override
        public void close() {
            server.close();
            client.close();
        }
    }

    private static PerMessageDeflate config(boolean noContextTakeover) {
        return PerMessageDeflate.builder().serverNoContextTakeover(noContextTakeover)
                .clientNoContextTakeover(noContextTakeover).minCompressBytes(64).build();
    }

    /** Text that compresses, different for every seed, like a stream of JSON ticks. */
    static byte[] ticks(int length, int seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(length + 64);
        while (sb.length() < length) {
            sb.append("{\"symbol\":\"BLK").append(r.nextInt(20)).append("\",\"price\":")
                    .append(r.nextInt(100_000) / 100.0).append(",\"qty\":").append(r.nextInt(500)).append("},");
        }
        return sb.substring(0, length).getBytes(UTF_8);
    }

    /** Sends through one extension, receives through the other, as the frames would carry it. */
    static byte[] transfer(PerMessageDeflateExtension from, PerMessageDeflateExtension to, byte[] message) {
        ByteBuffer payload = ByteBuffer.wrap(message);
        EncodedPayload encoded = from.encodeMessage(Opcode.TEXT, payload);
        assertThat(payload.position()).isZero(); // the caller's buffer is left as it was
        ByteBuffer wire = encoded.payload().duplicate();
        ByteBuffer received = to.decodeMessage(encoded.rsv(), wire, LIMIT);
        byte[] out = new byte[received.remaining()];
        received.get(out);
        return out;
    }

    @ParameterizedTest(name = "noContextTakeover={0}")
    @ValueSource(booleans = {false, true})
    void messagesRoundTripBothWaysInSequence(boolean noContextTakeover) {
        try (Pair p = Pair.negotiate(config(noContextTakeover), config(noContextTakeover))) {
            int[] sizes = {64, 65, 200, 1000, 4096, 33_000, 70_000, 200, 64};
            for (int i = 0; i < sizes.length; i++) {
                byte[] m = ticks(sizes[i], i);
                assertThat(transfer(p.server(), p.client(), m)).isEqualTo(m);
                assertThat(transfer(p.client(), p.server(), m)).isEqualTo(m);
            }
            assertThat(p.server().deflater().usesContextTakeover()).isEqualTo(!noContextTakeover);
            assertThat(p.server().inflater().usesContextTakeover()).isEqualTo(!noContextTakeover);
            assertThat(p.client().deflater().usesContextTakeover()).isEqualTo(!noContextTakeover);
            assertThat(p.client().inflater().usesContextTakeover()).isEqualTo(!noContextTakeover);
            // without context takeover nothing native stays with the connection
            assertThat(p.server().hasNativeState()).isEqualTo(!noContextTakeover);
            assertThat(p.client().hasNativeState()).isEqualTo(!noContextTakeover);
        }
    }

    @Test
    void contextTakeoverMakesRepeatedMessagesSmaller() {
        byte[] m = ticks(500, 7);
        try (Pair shared = Pair.negotiate(config(false), config(false));
             Pair fresh = Pair.negotiate(config(true), config(true))) {
            shared.server().encodeMessage(Opcode.TEXT, ByteBuffer.wrap(m));
            fresh.server().encodeMessage(Opcode.TEXT, ByteBuffer.wrap(m));
            int sharedSecond = shared.server().encodeMessage(Opcode.TEXT, ByteBuffer.wrap(m)).payload().remaining();
            int freshSecond = fresh.server().encodeMessage(Opcode.TEXT, ByteBuffer.wrap(m)).payload().remaining();
            assertThat(sharedSecond).isLessThan(20).isLessThan(freshSecond);
        }
    }

    @Test
    void messagesBelowTheThresholdGoOutUncompressed() {
        try (Pair p = Pair.negotiate(config(false), config(false))) {
            ByteBuffer small = ByteBuffer.wrap(ticks(63, 1));
            EncodedPayload e = p.server().encodeMessage(Opcode.TEXT, small);
            assertThat(e.rsv()).isZero();
            assertThat(e.payload()).isSameAs(small);
            EncodedPayload big = p.server().encodeMessage(Opcode.TEXT, ByteBuffer.wrap(ticks(64, 1)));
            assertThat(big.rsv()).isEqualTo(RSV1);
            assertThat(big.payload().remaining()).isLessThan(64);
            assertThat(p.client().decodeMessage(RSV1, big.payload(), LIMIT)).isEqualTo(ByteBuffer.wrap(ticks(64, 1)));
            // skipping compression for one message does not disturb the window on either side
            byte[] m = ticks(300, 2);
            assertThat(transfer(p.server(), p.client(), m)).isEqualTo(m);
        }
    }

    @ParameterizedTest(name = "noContextTakeover={0}")
    @ValueSource(booleans = {false, true})
    void incompressibleMessagesGoOutUncompressedAndTheWindowStaysInStep(boolean noContextTakeover) {
        try (Pair p = Pair.negotiate(config(noContextTakeover), config(noContextTakeover))) {
            byte[] first = ticks(2000, 3);
            assertThat(transfer(p.server(), p.client(), first)).isEqualTo(first);
            byte[] noise = new byte[4096];
            new Random(4).nextBytes(noise);
            ByteBuffer payload = ByteBuffer.wrap(noise);
            EncodedPayload e = p.server().encodeMessage(Opcode.BINARY, payload);
            assertThat(e.rsv()).isZero();
            assertThat(e.payload()).isSameAs(payload);
            byte[] after = ticks(2000, 3);
            assertThat(transfer(p.server(), p.client(), after)).isEqualTo(after);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PING", "PONG", "CLOSE"})
    void controlFramesAreNeverCompressed(Opcode opcode) {
        try (Pair p = Pair.negotiate(config(false), PerMessageDeflate.builder().minCompressBytes(0).build())) {
            ByteBuffer payload = ByteBuffer.wrap(new byte[125]);
            EncodedPayload e = p.server().encodeMessage(opcode, payload);
            assertThat(e.rsv()).isZero();
            assertThat(e.payload()).isSameAs(payload);
        }
    }

    @ParameterizedTest(name = "window 2^{0}")
    @CsvSource({"8", "9", "12", "14"})
    void smallPeerWindowCompressesOnlyMessagesThatFitItEachOnItsOwn(int bits) {
        PerMessageDeflate server = PerMessageDeflate.builder().serverNoContextTakeover(false).minCompressBytes(0).build();
        PerMessageDeflate client = PerMessageDeflate.builder().serverMaxWindowBits(bits).build();
        try (Pair p = Pair.negotiate(server, client)) {
            assertThat(p.server().parameters().serverMaxWindowBits()).isEqualTo(bits);
            assertThat(p.server().deflater().usesContextTakeover()).isFalse();
            int window = 1 << bits;
            for (int len : new int[] {window - 1, window, window / 2}) {
                byte[] m = ticks(len, len);
                EncodedPayload e = p.server().encodeMessage(Opcode.TEXT, ByteBuffer.wrap(m));
                assertThat(e.rsv()).isEqualTo(RSV1);
                // each inflates alone: no reference into an earlier message
                assertThat(inflateAlone(e.payload())).isEqualTo(m);
                assertThat(MaxDistance.of(e.payload())).isLessThanOrEqualTo(window);
            }
            EncodedPayload tooLong = p.server().encodeMessage(Opcode.TEXT, ByteBuffer.wrap(ticks(window + 1, 5)));
            assertThat(tooLong.rsv()).isZero();
        }
    }

    @Test
    void maxDistanceSeesFarReferences() {
        byte[] block = new byte[20_000];
        new Random(11).nextBytes(block);
        byte[] twice = new byte[40_000];
        System.arraycopy(block, 0, twice, 0, 20_000);
        System.arraycopy(block, 0, twice, 20_000, 20_000);
        assertThat(MaxDistance.of(compress(twice))).isEqualTo(20_000);
    }

    private static byte[] inflateAlone(ByteBuffer compressed) {
        try (PerMessageDeflateExtension fresh = PerMessageDeflate.builder().build()
                .acceptResponse(new ExtensionOffer(PerMessageDeflate.NAME, java.util.Map.of()))) {
            ByteBuffer out = fresh.decodeMessage(RSV1, compressed.duplicate(), LIMIT);
            byte[] b = new byte[out.remaining()];
            out.get(b);
            return b;
        }
    }

    @Test
    void decompressionBombFailsWith1009HavingAllocatedAboutTheLimit() {
        byte[] zeros = new byte[1 << 20];
        ByteBuffer bomb = compress(zeros);
        assertThat(bomb.remaining()).isLessThan(2048); // 1 MiB of zeros is about 1 KiB on the wire
        long limit = 64 * 1024;
        try (Pair p = Pair.negotiate(config(true), config(true))) {
            p.server().decodeMessage(RSV1, compress(ticks(1000, 1)), LIMIT); // warm up the path
            WebSocketProtocolException failure = null;
            long before = AllocationMeter.allocatedBytes();
            try {
                p.server().decodeMessage(RSV1, bomb, limit);
            } catch (WebSocketProtocolException e) {
                failure = e;
            }
            long allocated = AllocationMeter.allocatedBytes() - before;
            assertThat(failure).isNotNull();
            assertThat(failure.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
            // the output buffer doubles up to the limit: at most about twice the limit, never 1 MiB
            assertThat(allocated).isLessThan(2 * limit + 32 * 1024);
        }
    }

    @ParameterizedTest(name = "noContextTakeover={0}")
    @ValueSource(booleans = {false, true})
    void messageOfExactlyTheLimitInflatesAndOneByteMoreFails(boolean noContextTakeover) {
        try (Pair p = Pair.negotiate(config(noContextTakeover), config(noContextTakeover))) {
            byte[] m = ticks(10_000, 9);
            ByteBuffer exact = p.client().decodeMessage(RSV1, compress(m), m.length);
            assertThat(exact.remaining()).isEqualTo(m.length);
            assertThatThrownBy(() -> p.server().decodeMessage(RSV1, compress(m), m.length - 1))
                    .isInstanceOfSatisfying(WebSocketProtocolException.class,
                            e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG));
        }
    }

    @Test
    void corruptCompressedDataFailsWith1002() {
        try (Pair p = Pair.negotiate(config(true), config(true))) {
            // BTYPE 11 is reserved in DEFLATE
            assertThatThrownBy(() -> p.server().decodeMessage(RSV1, Hex.buffer("ff ff ff ff"), LIMIT))
                    .isInstanceOfSatisfying(WebSocketProtocolException.class,
                            e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR));
            // the pooled Inflater went back reset: the next message is fine
            byte[] m = ticks(500, 1);
            assertThat(transfer(p.client(), p.server(), m)).isEqualTo(m);
        }
    }

    @Test
    void closeEndsTheConnectionsDeflaterAndInflaterAndIsIdempotent() {
        Pair p = Pair.negotiate(config(false), config(false));
        byte[] m = ticks(1000, 1);
        transfer(p.server(), p.client(), m);
        transfer(p.client(), p.server(), m);
        Deflater deflater = p.server().deflater().connectionDeflaterOrNull();
        Inflater inflater = p.server().inflater().connectionInflaterOrNull();
        assertThat(deflater).isNotNull();
        assertThat(inflater).isNotNull();

        p.server().close();
        p.server().close();

        assertThat(p.server().hasNativeState()).isFalse();
        // an ended zlib stream refuses every further use
        assertThatThrownBy(deflater::getTotalIn).hasMessageContaining("closed");
        assertThatThrownBy(inflater::getTotalIn).hasMessageContaining("closed");
        assertThatThrownBy(() -> p.server().encodeMessage(Opcode.TEXT, ByteBuffer.wrap(m)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.server().decodeMessage(RSV1, compress(m), LIMIT))
                .isInstanceOf(IllegalStateException.class);
        p.client().close();
    }

    @Test
    void closeBeforeAnyMessageHasNothingToEnd() {
        Pair p = Pair.negotiate(config(false), config(false));
        assertThat(p.server().hasNativeState()).isFalse(); // created lazily
        p.close();
        assertThatThrownBy(() -> p.client().encodeMessage(Opcode.TEXT, ByteBuffer.wrap(ticks(100, 1))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void connectionsWithoutContextTakeoverShareAFewPooledCodecs() {
        PerMessageDeflate factory = config(true);
        PerMessageDeflate client = config(true);
        PerMessageDeflateExtension[] servers = new PerMessageDeflateExtension[50];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = factory.acceptOffer(client.offers().get(0));
        }
        PerMessageDeflateExtension peer = client.acceptResponse(servers[0].response());
        byte[] m = ticks(1000, 1);
        for (PerMessageDeflateExtension s : servers) {
            assertThat(transfer(s, peer, m)).isEqualTo(m);
            assertThat(transfer(peer, s, m)).isEqualTo(m);
            assertThat(s.hasNativeState()).isFalse();
        }
        // one thread, one message at a time: one of each was ever needed
        assertThat(factory.deflaterPool().createdCount()).isEqualTo(1);
        assertThat(factory.inflaterPool().createdCount()).isEqualTo(1);
        assertThat(factory.deflaterPool().idleCount()).isEqualTo(1);
        factory.close();
        assertThat(factory.deflaterPool().idleCount()).isZero();
        // the pool refills after close: connections keep working
        assertThat(transfer(servers[1], peer, m)).isEqualTo(m);
    }

    static ByteBuffer compress(byte[] message) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            return MessageDeflater.deflate(d, ByteBuffer.wrap(message), Integer.MAX_VALUE - 64);
        } finally {
            d.end();
        }
    }
}
