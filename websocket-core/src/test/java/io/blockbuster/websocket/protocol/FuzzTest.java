package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the parsers: whatever the bytes, the only exception is ours, with a
 * close code (or HTTP status) from the documented set, and a failed decoder stays failed.
 * The seed corpus is the RFC vectors plus a few frames of every kind; mutations flip bits,
 * overwrite, insert, delete and truncate.
 */
class FuzzTest {
    private static final Set<Integer> CLOSE_CODES = Set.of(1002, 1007, 1009);
    private static final Set<Integer> HTTP_STATUSES = Set.of(400, 426, 431);

    private static final List<byte[]> FRAME_CORPUS = List.of(
            Hex.bytes("810548656c6c6f"),
            Hex.bytes("818537fa213d7f9f4d5158"),
            Hex.bytes("010348656c80026c6f"),
            Hex.bytes("890548656c6c6f"),
            Hex.bytes("8a8537fa213d7f9f4d5158"),
            Hex.concat(Hex.bytes("827e0100"), Wire.pattern(256)),
            Hex.bytes("880203e8"),
            Hex.concat(Hex.bytes("880a03e8"), "κόσμε".getBytes(StandardCharsets.UTF_8)),
            Hex.concat(Wire.frame(false, 0, 1, "ab€".getBytes(StandardCharsets.UTF_8), 0x01020304),
                    Wire.frame(true, 0, 9, new byte[3], 0x01020304),
                    Wire.frame(true, 0, 0, "cd".getBytes(StandardCharsets.UTF_8), 0x01020304)));

    @Test
    void mutatedFramesFailOnlyWithOurExceptionAndAKnownCode() {
        Random random = new Random(6455);
        int failures = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] input = mutate(random, FRAME_CORPUS.get(random.nextInt(FRAME_CORPUS.size())));
            for (Role role : Role.values()) {
                FrameDecoder decoder = new FrameDecoder(role, 300);
                if (random.nextBoolean()) {
                    decoder.allowRsv(0b100);
                }
                MessageAssembler assembler = new MessageAssembler(new ProtocolLimits(300, 400),
                        List.of(new MessageAssemblerTest.IdentityExtension()), new MessageRecorder());
                try {
                    for (ByteBuffer piece : randomPieces(random, input)) {
                        decoder.decode(piece, assembler);
                    }
                } catch (WebSocketProtocolException e) {
                    failures++;
                    assertThat(e.closeCode()).as(Hex.of(input)).isIn(CLOSE_CODES);
                    assertThat(decoder.isFailed()).isTrue();
                    decoder.decode(ByteBuffer.wrap(Hex.bytes("8100")), assembler);
                }
            }
        }
        assertThat(failures).as("the fuzzer reaches failure paths").isGreaterThan(1000);
    }

    @Test
    void mutatedRequestsFailOnlyWithHandshakeExceptionAndAKnownStatus() {
        Random random = new Random(1_3);
        byte[] seed = HttpRequestParserTest.RFC_REQUEST.getBytes(StandardCharsets.ISO_8859_1);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] input = mutate(random, seed);
            HttpRequestParser parser = new HttpRequestParser(300);
            try {
                HttpRequest request = null;
                for (ByteBuffer piece : randomPieces(random, input)) {
                    request = request == null ? parser.parse(piece) : request;
                }
                if (request != null) {
                    ServerHandshake.validate(request);
                    accepted++;
                }
            } catch (HandshakeException e) {
                assertThat(e.status()).isIn(HTTP_STATUSES);
                assertThat(e.response().remaining()).isPositive();
            }
        }
        assertThat(accepted).as("some mutations stay valid").isPositive();
    }

    static byte[] mutate(Random random, byte[] seed) {
        List<Byte> b = new ArrayList<>(seed.length + 8);
        for (byte x : seed) {
            b.add(x);
        }
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && !b.isEmpty(); e++) {
            int at = random.nextInt(b.size());
            switch (random.nextInt(5)) {
                case 0:
                    b.set(at, (byte) (b.get(at) ^ (1 << random.nextInt(8))));
                    break;
                case 1:
                    b.set(at, (byte) random.nextInt(256));
                    break;
                case 2:
                    b.add(at, (byte) random.nextInt(256));
                    break;
                case 3:
                    b.remove(at);
                    break;
                default:
                    b.subList(at, b.size()).clear();
                    break;
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    static List<ByteBuffer> randomPieces(Random random, byte[] input) {
        List<ByteBuffer> pieces = new ArrayList<>();
        int at = 0;
        while (at < input.length) {
            int n = 1 + random.nextInt(Math.min(input.length - at, 40));
            pieces.add(Partitions.piece(input, at, at + n));
            at += n;
        }
        return pieces;
    }
}
