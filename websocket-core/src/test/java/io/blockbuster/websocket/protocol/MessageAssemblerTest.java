package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageAssemblerTest {
    private static final ProtocolLimits LIMITS = new ProtocolLimits(1 << 20, 1 << 20);

    // ---- delivery ----

    @Test
    void rfc6455FragmentedTextIsReassembled() {
        assertMessages(Role.CLIENT, Hex.bytes("010348656c 80026c6f"), "text Hello");
    }

    @Test
    void rfc6455MaskedTextIsDelivered() {
        assertMessages(Role.SERVER, Hex.bytes("818537fa213d7f9f4d5158"), "text Hello");
    }

    @Test
    void rfc6455PingAndMaskedPongAreDelivered() {
        assertMessages(Role.CLIENT, Hex.bytes("890548656c6c6f"), "ping 48656c6c6f");
        assertMessages(Role.SERVER, Hex.bytes("8a8537fa213d7f9f4d5158"), "pong 48656c6c6f");
    }

    @Test
    void controlPayloadsWholeInOneReadAndSplitAcrossReadsAreDeliveredAlike() {
        // Whole control payloads are handed on as views of the input, split ones through a buffer;
        // every partition mixes the two, around a fragmented message, ending with a close.
        byte[] wire = Hex.concat(Hex.bytes("890548656c6c6f"), Hex.bytes("010348656c"), Hex.bytes("8a026869"),
                Hex.bytes("8900"), Hex.bytes("80026c6f"), Hex.bytes("890548656c6c6f"), Hex.bytes("880503e8627965"));
        assertMessages(Role.CLIENT, wire, "ping 48656c6c6f", "pong 6869", "ping ", "text Hello", "ping 48656c6c6f",
                "close 1000 bye");
    }

    @Test
    void rfc6455BinaryMessagesAreDelivered() {
        byte[] b256 = Wire.pattern(256);
        assertMessages(Role.CLIENT, Hex.concat(Hex.bytes("827e0100"), b256), "binary " + FrameRecorder.describe(b256));
        byte[] b64k = Wire.pattern(65536);
        assertMessages(Role.CLIENT, Hex.concat(Hex.bytes("827f0000000000010000"), b64k),
                "binary " + FrameRecorder.describe(b64k));
    }

    @Test
    void controlFramesBetweenFragmentsAreDeliveredInOrder() {
        byte[] wire = Hex.concat(
                Wire.from(Role.CLIENT, false, 1, "ab".getBytes(StandardCharsets.UTF_8)),
                Wire.from(Role.CLIENT, true, 9, Hex.bytes("01")),
                Wire.from(Role.CLIENT, false, 0, "cd".getBytes(StandardCharsets.UTF_8)),
                Wire.from(Role.CLIENT, true, 10, Hex.bytes("02")),
                Wire.from(Role.CLIENT, true, 0, "ef".getBytes(StandardCharsets.UTF_8)));
        assertMessages(Role.SERVER, wire, "ping 01", "pong 02", "text abcdef");
    }

    @Test
    void emptyMessagesAreDelivered() {
        byte[] wire = Hex.concat(Hex.bytes("8100"), Hex.bytes("8200"), Hex.bytes("0100"), Hex.bytes("8000"),
                Hex.bytes("8900"));
        assertMessages(Role.CLIENT, wire, "text ", "binary ", "text ", "ping ");
    }

    @Test
    void textSplitInsideCodePointAcrossFragments() {
        byte[] utf8 = "a€b".getBytes(StandardCharsets.UTF_8); // 61 e282ac 62
        for (int cut = 0; cut <= utf8.length; cut++) {
            byte[] wire = Hex.concat(
                    Wire.frame(false, 0, 1, java.util.Arrays.copyOfRange(utf8, 0, cut), null),
                    Wire.frame(true, 0, 0, java.util.Arrays.copyOfRange(utf8, cut, utf8.length), null));
            assertMessages(Role.CLIENT, wire, "text a€b");
        }
    }

    @Test
    void closeWithoutBodyReports1005() {
        assertMessages(Role.CLIENT, Hex.bytes("8800"), "close 1005 ");
    }

    @Test
    void closeWithCodeAndReasonIsDelivered() {
        byte[] body = Hex.concat(Hex.bytes("03e8"), "bye ✓".getBytes(StandardCharsets.UTF_8));
        assertMessages(Role.SERVER, Wire.from(Role.CLIENT, true, 8, body), "close 1000 bye ✓");
    }

    @Test
    void framesAfterCloseAreIgnored() {
        byte[] wire = Hex.concat(Hex.bytes("880203e8"), Hex.bytes("810141"), Hex.bytes("890100"));
        assertMessages(Role.CLIENT, wire, "close 1000 ");
    }

    @Test
    void singleChunkMessageIsDeliveredWithoutCopy() {
        ByteBuffer in = ByteBuffer.wrap(Wire.from(Role.SERVER, true, 2, Wire.pattern(300)));
        List<ByteBuffer> seen = new ArrayList<>();
        MessageAssembler assembler = new MessageAssembler(LIMITS, List.of(), new MessageRecorder() {
            @Override
            public void onBinary(ByteBuffer data) {
                seen.add(data);
                assertThat(data.array()).isSameAs(in.array());
            }
        });
        new FrameDecoder(Role.CLIENT, LIMITS.maxFramePayloadBytes()).decode(in, assembler);
        assertThat(seen).hasSize(1);
    }

    // ---- protocol errors: exact close code ----

    @Test
    void continuationWithoutStartClosesWith1002() {
        assertFails(Role.CLIENT, Hex.bytes("800141"), 1002);
    }

    @Test
    void newDataFrameInsideFragmentedMessageClosesWith1002() {
        assertFails(Role.CLIENT, Hex.bytes("010141 810142"), 1002);
        assertFails(Role.CLIENT, Hex.bytes("010141 820142"), 1002);
    }

    @Test
    void rsv1OnContinuationFrameClosesWith1002() {
        byte[] wire = Hex.concat(Wire.frame(false, 0b100, 1, Hex.bytes("41"), null),
                Wire.frame(true, 0b100, 0, Hex.bytes("42"), null));
        assertFails(Role.CLIENT, wire, 1002, List.of(new IdentityExtension()));
    }

    @Test
    void rsv1OnControlFrameClosesWith1002() {
        assertFails(Role.CLIENT, Wire.frame(true, 0b100, 9, new byte[0], null), 1002, List.of(new IdentityExtension()));
    }

    @Test
    void messageOverLimitClosesWith1009BeforeBuffering() {
        ProtocolLimits limits = new ProtocolLimits(1000, 10);
        byte[] wire = Hex.concat(Hex.bytes("0206"), Wire.pattern(6), Hex.bytes("8005"), Wire.pattern(5));
        Partitions.forEach(wire, (how, pieces) -> {
            MessageRecorder rec = new MessageRecorder();
            FrameDecoder decoder = new FrameDecoder(Role.CLIENT, limits.maxFramePayloadBytes());
            MessageAssembler assembler = new MessageAssembler(limits, List.of(), rec);
            assertThat(feedUntilFailure(decoder, assembler, pieces)).as(how).isEqualTo(1009);
        });
    }

    @Test
    void messageAtLimitIsDelivered() {
        ProtocolLimits limits = new ProtocolLimits(1000, 11);
        byte[] wire = Hex.concat(Hex.bytes("0206"), Wire.pattern(6), Hex.bytes("8005"), Wire.pattern(5));
        MessageRecorder rec = new MessageRecorder();
        new FrameDecoder(Role.CLIENT, 1000).decode(ByteBuffer.wrap(wire), new MessageAssembler(limits, List.of(), rec));
        assertThat(rec.events).hasSize(1);
    }

    @Test
    void closeWithOneBytePayloadClosesWith1002() {
        assertFails(Role.CLIENT, Hex.bytes("880103"), 1002);
    }

    /** Codes as Autobahn 7.9.x and 7.7.x send them. */
    @ParameterizedTest
    @CsvSource({
        "0, 1002", "999, 1002", "1004, 1002", "1005, 1002", "1006, 1002", "1015, 1002", "1016, 1002",
        "1100, 1002", "2000, 1002", "2999, 1002", "5000, 1002", "65535, 1002",
        "1000, 0", "1001, 0", "1002, 0", "1003, 0", "1007, 0", "1008, 0", "1009, 0", "1010, 0", "1011, 0",
        "1012, 0", "1013, 0", "1014, 0", "3000, 0", "3999, 0", "4000, 0", "4999, 0"})
    void closeCodeOnTheWireIsValidatedAutobahn7(int code, int expectedFailure) {
        byte[] wire = Hex.concat(Hex.bytes("8802"), new byte[] {(byte) (code >>> 8), (byte) code});
        if (expectedFailure == 0) {
            assertMessages(Role.CLIENT, wire, "close " + code + " ");
        } else {
            assertFails(Role.CLIENT, wire, expectedFailure);
        }
    }

    @Test
    void closeReasonOfInvalidUtf8ClosesWith1007() {
        assertFails(Role.CLIENT, Hex.bytes("880603e8 cebae1bd"), 1007);
        assertFails(Role.CLIENT, Hex.bytes("880503e8 eda080"), 1007);
    }

    @Test
    void closeReasonOf123BytesIsAccepted() {
        String reason = "r".repeat(123);
        byte[] wire = Hex.concat(Hex.bytes("887d03e8"), reason.getBytes(StandardCharsets.UTF_8));
        assertMessages(Role.CLIENT, wire, "close 1000 " + reason);
    }

    @Test
    void closeReasonOver123BytesClosesWith1002() {
        // A 124-byte reason makes a 126-byte control payload, refused from the header.
        byte[] wire = Hex.concat(Hex.bytes("887e007e03e8"), "r".repeat(124).getBytes(StandardCharsets.UTF_8));
        assertFails(Role.CLIENT, wire, 1002);
    }

    // ---- UTF-8 in text messages ----

    private static final byte[] VALID_TEXT = "aκ€𐍈z".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0af", "e08080", "eda080", "edbfbf", "f4908080", "f8888080", "80", "c2", "e282",
        "f0908d"})
    void invalidUtf8AtEveryPositionClosesWith1007(String badHex) {
        byte[] bad = Hex.bytes(badHex);
        for (int at = 0; at <= VALID_TEXT.length; at++) {
            if (at > 0 && at < VALID_TEXT.length && !isBoundary(VALID_TEXT, at)) {
                continue; // inserting inside a character tests the character, not the position
            }
            byte[] text = Hex.concat(java.util.Arrays.copyOfRange(VALID_TEXT, 0, at), bad,
                    java.util.Arrays.copyOfRange(VALID_TEXT, at, VALID_TEXT.length));
            assertFails(Role.SERVER, Wire.from(Role.CLIENT, true, 1, text), 1007);
            // And across a fragment boundary at every position.
            for (int cut = 0; cut <= text.length; cut++) {
                byte[] wire = Hex.concat(
                        Wire.from(Role.CLIENT, false, 1, java.util.Arrays.copyOfRange(text, 0, cut)),
                        Wire.from(Role.CLIENT, true, 0, java.util.Arrays.copyOfRange(text, cut, text.length)));
                assertFailsWhole(Role.SERVER, wire, 1007);
            }
        }
    }

    @Test
    void invalidUtf8FailsBeforeTheMessageEnds() {
        // First fragment holds a surrogate; the rest of the message never arrives.
        byte[] wire = Wire.from(Role.SERVER, false, 1, Hex.bytes("41eda080"));
        MessageAssembler assembler = new MessageAssembler(LIMITS, List.of(), new MessageRecorder());
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, LIMITS.maxFramePayloadBytes());
        assertThat(feedUntilFailure(decoder, assembler, List.of(ByteBuffer.wrap(wire)))).isEqualTo(1007);
    }

    @Test
    void truncatedUtf8AtMessageEndClosesWith1007() {
        assertFails(Role.CLIENT, Hex.bytes("010141 8002e282"), 1007);
    }

    @Test
    void binaryMessagesAreNotValidatedAsUtf8() {
        assertMessages(Role.CLIENT, Hex.bytes("8202eda0"), "binary eda0");
    }

    // ---- extensions ----

    @Test
    void extensionDecodesMessagesWhoseFirstFrameCarriesItsBit() {
        byte[] wire = Hex.concat(
                Wire.frame(false, 0b100, 1, "olleh".getBytes(StandardCharsets.UTF_8), null),
                Wire.frame(true, 0, 0, "!".getBytes(StandardCharsets.UTF_8), null),
                Wire.frame(true, 0, 1, "plain".getBytes(StandardCharsets.UTF_8), null));
        for (byte[] w : new byte[][] {wire}) {
            Partitions.forEach(w, (how, pieces) -> {
                MessageRecorder rec = new MessageRecorder();
                FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 1000);
                decoder.allowRsv(0b100);
                MessageAssembler assembler = new MessageAssembler(LIMITS, List.of(new ReversingExtension()), rec);
                pieces.forEach(p -> decoder.decode(p, assembler));
                assertThat(rec.events).as(how).containsExactly("text !hello", "text plain");
            });
        }
    }

    @Test
    void extensionOutputOverLimitClosesWith1009() {
        ProtocolLimits limits = new ProtocolLimits(1000, 4);
        MessageAssembler assembler = new MessageAssembler(limits, List.of(new ReversingExtension() {
            @Override
            public ByteBuffer decodeMessage(int rsv, ByteBuffer payload, long maxMessageBytes) {
                return ByteBuffer.wrap(new byte[5]); // a misbehaving extension
            }
        }), new MessageRecorder());
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 1000);
        decoder.allowRsv(0b100);
        byte[] wire = Wire.frame(true, 0b100, 2, Hex.bytes("01"), null);
        assertThat(feedUntilFailure(decoder, assembler, List.of(ByteBuffer.wrap(wire)))).isEqualTo(1009);
    }

    // ---- partial delivery ----

    @Test
    void largeMessagesAreStreamedInPartsWhenAsked() {
        String text = "κόσμε-€-𐍈-".repeat(40);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] wire = Hex.concat(
                Wire.frame(false, 0, 1, java.util.Arrays.copyOfRange(utf8, 0, 101), null),
                Hex.bytes("8903010203"),
                Wire.frame(true, 0, 0, java.util.Arrays.copyOfRange(utf8, 101, utf8.length), null),
                Wire.frame(true, 0, 2, Wire.pattern(300), null),
                Wire.frame(true, 0, 2, Wire.pattern(10), null),
                Hex.bytes("0200 8000"));
        Partitions.forEach(wire, (how, pieces) -> {
            MessageRecorder rec = new MessageRecorder();
            FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 1 << 20);
            MessageAssembler assembler = new MessageAssembler(LIMITS, List.of(), rec, 64);
            pieces.forEach(p -> decoder.decode(p, assembler));
            assertThat(rec.events).as(how).containsExactly("ping 010203", "text* " + text,
                    "binary* " + FrameRecorder.describe(Wire.pattern(300)), "binary " + Hex.of(Wire.pattern(10)),
                    "binary* ");
            rec.assertNoPartialMessage();
            assertThat(rec.parts).as(how).isGreaterThanOrEqualTo(4);
        });
    }

    // ---- helpers ----

    static boolean isBoundary(byte[] utf8, int i) {
        return (utf8[i] & 0xC0) != 0x80;
    }

    static void assertMessages(Role local, byte[] wire, String... expected) {
        Partitions.forEach(wire, (how, pieces) -> {
            MessageRecorder rec = new MessageRecorder();
            FrameDecoder decoder = new FrameDecoder(local, LIMITS.maxFramePayloadBytes());
            MessageAssembler assembler = new MessageAssembler(LIMITS, List.of(), rec);
            pieces.forEach(p -> decoder.decode(p, assembler));
            assertThat(rec.events).as(how).containsExactly(expected);
        });
    }

    static void assertFails(Role local, byte[] wire, int code) {
        assertFails(local, wire, code, List.of());
    }

    static void assertFails(Role local, byte[] wire, int code, List<Extension> extensions) {
        Partitions.forEach(wire, (how, pieces) -> {
            FrameDecoder decoder = new FrameDecoder(local, LIMITS.maxFramePayloadBytes());
            for (Extension e : extensions) {
                decoder.allowRsv(e.rsvBits());
            }
            MessageAssembler assembler = new MessageAssembler(LIMITS, extensions, new MessageRecorder());
            assertThat(feedUntilFailure(decoder, assembler, pieces)).as(how).isEqualTo(code);
        });
    }

    /** Whole input only; for loops that already vary the framing. */
    static void assertFailsWhole(Role local, byte[] wire, int code) {
        FrameDecoder decoder = new FrameDecoder(local, LIMITS.maxFramePayloadBytes());
        MessageAssembler assembler = new MessageAssembler(LIMITS, List.of(), new MessageRecorder());
        assertThat(feedUntilFailure(decoder, assembler, List.of(ByteBuffer.wrap(wire)))).isEqualTo(code);
    }

    static int feedUntilFailure(FrameDecoder decoder, FrameSink sink, List<ByteBuffer> pieces) {
        for (ByteBuffer piece : pieces) {
            try {
                decoder.decode(piece, sink);
            } catch (WebSocketProtocolException e) {
                assertThat(decoder.isFailed()).isTrue();
                return e.closeCode();
            }
        }
        return fail("no failure");
    }

    /** Claims RSV1 and passes payloads through. */
    static class IdentityExtension implements Extension {
        @Override
        public String name() {
            return "x-identity";
        }

        @Override
        public int rsvBits() {
            return 0b100;
        }

        @Override
        public ExtensionOffer response() {
            return new ExtensionOffer(name(), java.util.Map.of());
        }

        @Override
        public ByteBuffer decodeMessage(int rsv, ByteBuffer payload, long maxMessageBytes) {
            return payload;
        }

        @Override
        public EncodedPayload encodeMessage(Opcode opcode, ByteBuffer payload) {
            return new EncodedPayload(payload, 0b100);
        }

        @Override
        public void close() {
        }
    }

    /** Claims RSV1 and reverses payload bytes, so tests see that it ran. */
    static class ReversingExtension extends IdentityExtension {
        @Override
        public ByteBuffer decodeMessage(int rsv, ByteBuffer payload, long maxMessageBytes) {
            assertThat(rsv).isEqualTo(0b100);
            byte[] b = MessageRecorder.bytes(payload);
            byte[] r = new byte[b.length];
            for (int i = 0; i < b.length; i++) {
                r[i] = b[b.length - 1 - i];
            }
            return ByteBuffer.wrap(r);
        }

        @Override
        public EncodedPayload encodeMessage(Opcode opcode, ByteBuffer payload) {
            return new EncodedPayload(decodeMessage(0b100, payload, Long.MAX_VALUE), 0b100);
        }
    }
}
