package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Random messages encoded by one role and decoded by the other give back the same messages. */
class RoundTripTest {
    @ParameterizedTest
    @EnumSource(Role.class)
    void randomMessagesSurviveEncodeAndDecode(Role sender) {
        Random random = new Random(20261125L + sender.ordinal());
        FrameEncoder encoder = new FrameEncoder(sender, random::nextInt);
        for (int round = 0; round < 40; round++) {
            List<String> expected = new ArrayList<>();
            ByteBuffer wire = ByteBuffer.allocate(1 << 20);
            int messages = 1 + random.nextInt(20);
            for (int m = 0; m < messages; m++) {
                writeRandomMessage(random, encoder, wire, expected);
            }
            wire.flip();
            MessageRecorder rec = new MessageRecorder();
            FrameDecoder decoder = new FrameDecoder(Wire.peer(sender), 1 << 20);
            MessageAssembler assembler = new MessageAssembler(ProtocolLimits.DEFAULT, List.of(), rec);
            while (wire.hasRemaining()) {
                ByteBuffer piece = wire.slice();
                piece.limit(Math.min(piece.limit(), 1 + random.nextInt(random.nextBoolean() ? 16 : 4096)));
                wire.position(wire.position() + piece.limit());
                decoder.decode(piece, assembler);
            }
            assertThat(rec.events).containsExactlyElementsOf(expected);
        }
    }

    private static void writeRandomMessage(Random random, FrameEncoder encoder, ByteBuffer wire, List<String> expected) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            byte[] p = randomBytes(random, random.nextInt(126));
            encoder.encodeFrame(true, 0, Opcode.PING, ByteBuffer.wrap(p), wire);
            expected.add("ping " + Hex.of(p));
            return;
        }
        boolean text = kind < 6;
        byte[] payload;
        if (text) {
            String s = randomText(random, random.nextInt(random.nextBoolean() ? 20 : 3000));
            payload = s.getBytes(StandardCharsets.UTF_8);
            expected.add("text " + s);
        } else {
            payload = randomBytes(random, random.nextInt(random.nextBoolean() ? 200 : 70000));
            expected.add("binary " + FrameRecorder.describe(payload));
        }
        // Fragment at random sizes (byte-wise, so text splits inside characters), pings between.
        ByteBuffer src = ByteBuffer.wrap(payload);
        boolean first = true;
        do {
            int n = Math.min(src.remaining(), random.nextInt(4) == 0 ? src.remaining() : random.nextInt(300));
            ByteBuffer fragment = src.slice().limit(n);
            src.position(src.position() + n);
            Opcode opcode = first ? (text ? Opcode.TEXT : Opcode.BINARY) : Opcode.CONTINUATION;
            encoder.encodeFrame(!src.hasRemaining(), 0, opcode, fragment, wire);
            first = false;
            if (src.hasRemaining() && random.nextInt(5) == 0) {
                encoder.encodeFrame(true, 0, Opcode.PONG, ByteBuffer.wrap(Hex.bytes("aa")), wire);
                expected.add(expected.size() - 1, "pong aa");
            }
        } while (src.hasRemaining());
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String randomText(Random random, int codePoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int cp;
            switch (random.nextInt(4)) {
                case 0: cp = 0x20 + random.nextInt(0x5F); break;
                case 1: cp = 0x80 + random.nextInt(0x780); break;
                case 2: cp = 0x800 + random.nextInt(0xD000); break; // stays below surrogates
                default: cp = 0x10000 + random.nextInt(0x100000); break;
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }
}
