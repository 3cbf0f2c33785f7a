package io.blockbuster.websocket.deflate;

import io.blockbuster.websocket.protocol.Hex;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.websocket.protocol.ExtensionOffer;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 7692 section 7.2.3: every example payload, inflated, and the compressible ones produced. */
class Rfc7692ExamplesTest {
    private static final long LIMIT = 1 << 20;

    /** A client that accepted a bare response: the server may use context takeover. */
    private final PerMessageDeflateExtension client = PerMessageDeflate.builder().build()
            .acceptResponse(new ExtensionOffer(PerMessageDeflate.NAME, Map.of()));

    @AfterEach
    void close() {
        client.close();
    }

    private String inflate(String hex) {
        return UTF_8.decode(client.decodeMessage(PerMessageDeflateExtension.RSV1, Hex.buffer(hex), LIMIT)).toString();
    }

    private static ByteBuffer hello() {
        return ByteBuffer.wrap("Hello".getBytes(UTF_8));
    }

    @Test
    void section7231HelloInOneCompressedBlockInflates() {
        assertThat(client.inflater().usesContextTakeover()).isTrue();
        assertThat(inflate("f2 48 cd c9 c9 07 00")).isEqualTo("Hello");
    }

    @Test
    void section7231HelloIsWhatTheDeflaterProduces() {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            assertThat(Hex.of(MessageDeflater.deflate(d, hello(), 100))).isEqualTo("f248cdc9c90700");
        } finally {
            d.end();
        }
    }

    @Test
    void section7231FragmentedPayloadsConcatenatedInflate() {
        // frames 41 03 f248cd and 80 04 c9c90700: the assembler hands over the joined payload
        assertThat(inflate("f2 48 cd" + "c9 c9 07 00")).isEqualTo("Hello");
    }

    @Test
    void section7232SecondMessageUsesTheSharedWindow() {
        assertThat(inflate("f2 48 cd c9 c9 07 00")).isEqualTo("Hello");
        assertThat(inflate("f2 00 11 00 00")).isEqualTo("Hello");
    }

    @Test
    void section7232DeflaterWithContextTakeoverProducesTheSharedWindowForm() {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            assertThat(Hex.of(MessageDeflater.deflate(d, hello(), 100))).isEqualTo("f248cdc9c90700");
            assertThat(Hex.of(MessageDeflater.deflate(d, hello(), 100))).isEqualTo("f200110000");
            d.reset(); // no context takeover: every message looks like the first
            assertThat(Hex.of(MessageDeflater.deflate(d, hello(), 100))).isEqualTo("f248cdc9c90700");
        } finally {
            d.end();
        }
    }

    @Test
    void section7233UncompressedDeflateBlockInflates() {
        assertThat(inflate("00 05 00 fa ff 48 65 6c 6c 6f 00")).isEqualTo("Hello");
    }

    @Test
    void section7234BlockWithBfinalInflatesAndTheNextMessageStartsAFreshStream() {
        assertThat(inflate("f3 48 cd c9 c9 07 00 00")).isEqualTo("Hello");
        assertThat(inflate("f2 48 cd c9 c9 07 00")).isEqualTo("Hello");
    }

    @Test
    void section7235TwoDeflateBlocksInOneMessageInflate() {
        assertThat(inflate("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")).isEqualTo("Hello");
    }

    @Test
    void section7236EmptyFinalFragmentInflates() {
        // frames 41 0b f248cdc9c90700 0000ffff and 80 01 00: a flushed first fragment, then the
        // stripped empty block as the last one
        assertThat(inflate("f2 48 cd c9 c9 07 00 00 00 ff ff" + "00")).isEqualTo("Hello");
    }

    @Test
    void messageWithoutRsv1PassesThroughUnchanged() {
        ByteBuffer plain = hello();
        assertThat(client.decodeMessage(0, plain, LIMIT)).isSameAs(plain);
    }

    @Test
    void emptyCompressedPayloadIsAnEmptyMessageAndKeepsTheWindow() {
        assertThat(inflate("f2 48 cd c9 c9 07 00")).isEqualTo("Hello");
        assertThat(inflate("")).isEmpty();
        assertThat(inflate("00")).isEmpty(); // an empty message as zlib compresses it
        assertThat(inflate("f2 00 11 00 00")).isEqualTo("Hello");
    }
}
