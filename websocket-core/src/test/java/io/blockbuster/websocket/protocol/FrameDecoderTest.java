package io.blockbuster.websocket.protocol;

import static io.blockbuster.websocket.protocol.FrameRecorder.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {
    private static final long BIG = 1 << 24;

    // ---- RFC 6455 section 5.7 examples ----

    @Test
    void rfc6455SingleFrameUnmaskedTextMessage() {
        assertDecodes(Role.CLIENT, Hex.bytes("810548656c6c6f"), frame(true, Opcode.TEXT, "48656c6c6f"));
    }

    @Test
    void rfc6455SingleFrameMaskedTextMessage() {
        assertDecodes(Role.SERVER, Hex.bytes("818537fa213d7f9f4d5158"), frame(true, Opcode.TEXT, "48656c6c6f"));
    }

    @Test
    void rfc6455FragmentedUnmaskedTextMessage() {
        assertDecodes(Role.CLIENT, Hex.bytes("010348656c 80026c6f"),
                frame(false, Opcode.TEXT, "48656c"), frame(true, Opcode.CONTINUATION, "6c6f"));
    }

    @Test
    void rfc6455UnmaskedPing() {
        assertDecodes(Role.CLIENT, Hex.bytes("890548656c6c6f"), frame(true, Opcode.PING, "48656c6c6f"));
    }

    @Test
    void rfc6455MaskedPong() {
        assertDecodes(Role.SERVER, Hex.bytes("8a8537fa213d7f9f4d5158"), frame(true, Opcode.PONG, "48656c6c6f"));
    }

    @Test
    void rfc6455Binary256BytesWith16BitLength() {
        byte[] payload = Wire.pattern(256);
        byte[] wire = Hex.concat(Hex.bytes("827e0100"), payload);
        assertDecodes(Role.CLIENT, wire, frame(true, 0, Opcode.BINARY, payload));
    }

    @Test
    void rfc6455Binary64KiBWith64BitLength() {
        byte[] payload = Wire.pattern(65536);
        byte[] wire = Hex.concat(Hex.bytes("827f0000000000010000"), payload);
        assertDecodes(Role.CLIENT, wire, frame(true, 0, Opcode.BINARY, payload));
    }

    // ---- lengths at the edges of each encoding, both roles ----

    static IntStream edgeLengths() {
        return IntStream.of(0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65535, 65536, 65537, 65538, 65539);
    }

    @ParameterizedTest
    @MethodSource("edgeLengths")
    void payloadOfEdgeLengthDecodesFromClient(int length) {
        byte[] payload = Wire.pattern(length);
        assertDecodes(Role.SERVER, Wire.from(Role.CLIENT, true, 2, payload), frame(true, 0, Opcode.BINARY, payload));
    }

    @ParameterizedTest
    @MethodSource("edgeLengths")
    void payloadOfEdgeLengthDecodesFromServer(int length) {
        byte[] payload = Wire.pattern(length);
        assertDecodes(Role.CLIENT, Wire.from(Role.SERVER, true, 2, payload), frame(true, 0, Opcode.BINARY, payload));
    }

    @Test
    void largePayloadDecodesInOneFrame() {
        byte[] payload = Wire.pattern(3 << 20);
        FrameRecorder rec = new FrameRecorder();
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, BIG);
        ByteBuffer in = ByteBuffer.wrap(Wire.from(Role.CLIENT, true, 2, payload));
        while (in.hasRemaining()) {
            ByteBuffer piece = in.slice();
            piece.limit(Math.min(piece.limit(), 8191));
            in.position(in.position() + piece.limit());
            decoder.decode(piece, rec);
            assertThat(piece.hasRemaining()).isFalse();
        }
        assertThat(rec.events).containsExactly(frame(true, 0, Opcode.BINARY, payload));
    }

    @Test
    void severalFramesInOneBufferDecodeInOrder() {
        byte[] wire = Hex.concat(
                Wire.from(Role.CLIENT, false, 1, Hex.bytes("48")),
                Wire.from(Role.CLIENT, true, 9, new byte[0]),
                Wire.from(Role.CLIENT, true, 0, Hex.bytes("6869")),
                Wire.from(Role.CLIENT, true, 8, Hex.bytes("03e8")));
        assertDecodes(Role.SERVER, wire,
                frame(false, Opcode.TEXT, "48"),
                frame(true, Opcode.PING, ""),
                frame(true, Opcode.CONTINUATION, "6869"),
                frame(true, Opcode.CLOSE, "03e8"));
    }

    @Test
    void negativeBytesUnmaskCorrectly() {
        byte[] payload = new byte[40];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (0x80 | i * 7);
        }
        byte[] wire = Wire.frame(true, 0, 2, payload, 0xF0E1D2C3);
        assertDecodes(Role.SERVER, wire, frame(true, 0, Opcode.BINARY, payload));
    }

    @Test
    void maskedFramesDecodeFromLittleEndianAndDirectBuffers() {
        byte[] payload = Wire.pattern(333);
        byte[] wire = Wire.frame(true, 0, 2, payload, 0x89ABCDEF);
        for (boolean direct : new boolean[] {false, true}) {
            for (java.nio.ByteOrder order : new java.nio.ByteOrder[] {java.nio.ByteOrder.BIG_ENDIAN,
                java.nio.ByteOrder.LITTLE_ENDIAN}) {
                ByteBuffer in = (direct ? ByteBuffer.allocateDirect(wire.length) : ByteBuffer.allocate(wire.length)).order(order);
                in.put(wire).flip();
                FrameRecorder rec = new FrameRecorder();
                FrameDecoder decoder = new FrameDecoder(Role.SERVER, BIG);
                // Odd-sized pieces so chunks start at every key phase.
                for (int at = 0; at < wire.length; at += 7) {
                    in.limit(Math.min(wire.length, at + 7)).position(at);
                    decoder.decode(in, rec);
                }
                assertThat(rec.events).as(direct + " " + order).containsExactly(frame(true, 0, Opcode.BINARY, payload));
            }
        }
    }

    @Test
    void payloadViewKeepsTheInputBufferOrderAndTheBytesAroundASlice() {
        byte[] payload = Wire.pattern(1024);
        byte[] wire = Wire.frame(true, 0, 2, payload, 0x37fa213d);
        int expectedInt = ByteBuffer.wrap(payload).getInt(4);
        for (java.nio.ByteOrder order : new java.nio.ByteOrder[] {java.nio.ByteOrder.BIG_ENDIAN,
            java.nio.ByteOrder.LITTLE_ENDIAN}) {
            // A slice 5 bytes into its array, with guard bytes on both sides (arrayOffset != 0).
            byte[] backing = new byte[5 + wire.length + 5];
            java.util.Arrays.fill(backing, (byte) 0xEE);
            System.arraycopy(wire, 0, backing, 5, wire.length);
            ByteBuffer in = ByteBuffer.wrap(backing, 5, wire.length).slice().order(order);
            List<Integer> ints = new ArrayList<>();
            List<java.nio.ByteOrder> orders = new ArrayList<>();
            FrameSink sink = new FrameSink() {
                @Override
                public void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength) {
                }

                @Override
                public void payload(ByteBuffer chunk) {
                    orders.add(chunk.order());
                    ints.add(chunk.getInt(chunk.position() + 4));
                }

                @Override
                public void frameEnd() {
                }
            };
            new FrameDecoder(Role.SERVER, BIG).decode(in, sink);
            assertThat(orders).containsExactly(order);
            int seen = order == java.nio.ByteOrder.BIG_ENDIAN ? expectedInt : Integer.reverseBytes(expectedInt);
            assertThat(ints).containsExactly(seen);
            assertThat(java.util.Arrays.copyOfRange(backing, 5 + wire.length - 1024, 5 + wire.length)).isEqualTo(payload);
            for (int i : new int[] {0, 1, 2, 3, 4, backing.length - 5, backing.length - 1}) {
                assertThat(backing[i]).as("guard " + i).isEqualTo((byte) 0xEE);
            }
        }
    }

    @Test
    void maskedFrameInAReadOnlyBufferFailsTheDecoderButUnmaskedDecodes() {
        byte[] payload = Wire.pattern(40);
        ByteBuffer masked = ByteBuffer.wrap(Wire.frame(true, 0, 2, payload, 0x11223344)).asReadOnlyBuffer();
        FrameDecoder server = new FrameDecoder(Role.SERVER, BIG);
        assertThatThrownBy(() -> server.decode(masked, new FrameRecorder()))
                .isInstanceOf(java.nio.ReadOnlyBufferException.class);
        assertThat(server.isFailed()).isTrue();

        ByteBuffer unmasked = ByteBuffer.wrap(Wire.frame(true, 0, 2, payload, null)).asReadOnlyBuffer();
        FrameRecorder rec = new FrameRecorder();
        new FrameDecoder(Role.CLIENT, BIG).decode(unmasked, rec);
        assertThat(rec.events).containsExactly(frame(true, 0, Opcode.BINARY, payload));
    }

    @Test
    void allowedRsvBitsAreReported() {
        byte[] wire = Wire.frame(true, 0b100, 1, Hex.bytes("00"), null);
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, BIG);
        decoder.allowRsv(0b100);
        FrameRecorder rec = new FrameRecorder();
        decoder.decode(ByteBuffer.wrap(wire), rec);
        assertThat(rec.events).containsExactly(FrameRecorder.event(true, 0b100, Opcode.TEXT) + " 00");
    }

    // ---- protocol violations: exact close code, terminal decoder ----

    @ParameterizedTest
    @ValueSource(ints = {0b100, 0b010, 0b001, 0b111})
    void rsvBitsWithoutExtensionCloseWith1002(int rsv) {
        assertFails(Role.CLIENT, Wire.frame(true, rsv, 1, Hex.bytes("41"), null), 1002);
    }

    @Test
    void rsvBitNotClaimedByExtensionClosesWith1002() {
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, BIG);
        decoder.allowRsv(0b100);
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(Wire.frame(true, 0b010, 1, new byte[0], null)),
                new FrameRecorder()))
                .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1002));
        assertThat(decoder.isFailed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodeClosesWith1002(int opcode) {
        assertFails(Role.SERVER, Wire.from(Role.CLIENT, true, opcode, new byte[0]), 1002);
    }

    @Test
    void fragmentedPingClosesWith1002() {
        assertFails(Role.CLIENT, Wire.from(Role.SERVER, false, 9, Hex.bytes("01")), 1002);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 10})
    void controlFrameOf126BytesClosesWith1002(int opcode) {
        assertFails(Role.SERVER, Wire.from(Role.CLIENT, true, opcode, new byte[126]), 1002);
    }

    @Test
    void controlFrameOf125BytesIsAccepted() {
        byte[] payload = Wire.pattern(125);
        assertDecodes(Role.SERVER, Wire.from(Role.CLIENT, true, 9, payload), frame(true, 0, Opcode.PING, payload));
    }

    @Test
    void unmaskedFrameFromClientClosesWith1002() {
        assertFails(Role.SERVER, Hex.bytes("810548656c6c6f"), 1002);
    }

    @Test
    void maskedFrameFromServerClosesWith1002() {
        assertFails(Role.CLIENT, Hex.bytes("818537fa213d7f9f4d5158"), 1002);
    }

    @Test
    void lengthWithMostSignificantBitSetClosesWith1002() {
        assertFails(Role.CLIENT, Hex.bytes("827f8000000000000001"), 1002);
    }

    @Test
    void nonMinimal16BitLengthClosesWith1002() {
        assertFails(Role.CLIENT, Hex.bytes("827e007d"), 1002);
    }

    @Test
    void nonMinimal64BitLengthClosesWith1002() {
        assertFails(Role.CLIENT, Hex.bytes("827f000000000000ffff"), 1002);
    }

    @Test
    void frameOverLimitClosesWith1009BeforeAnyPayload() {
        byte[] wire = Wire.from(Role.CLIENT, true, 2, new byte[101]);
        Partitions.forEach(wire, (how, pieces) -> {
            FrameDecoder decoder = new FrameDecoder(Role.SERVER, 100);
            FrameRecorder rec = new FrameRecorder();
            int code = feedUntilFailure(decoder, rec, pieces);
            assertThat(code).as(how).isEqualTo(1009);
            assertThat(rec.inFrame()).as("no frameStart before the limit check").isFalse();
        });
    }

    @Test
    void frameOverLimitWith64BitLengthClosesWith1009() {
        assertFails(Role.CLIENT, Hex.bytes("827f7fffffffffffffff"), 1009);
    }

    @Test
    void frameAtLimitIsAccepted() {
        byte[] payload = Wire.pattern(100);
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, 100);
        FrameRecorder rec = new FrameRecorder();
        decoder.decode(ByteBuffer.wrap(Wire.from(Role.CLIENT, true, 2, payload)), rec);
        assertThat(rec.events).containsExactly(frame(true, 0, Opcode.BINARY, payload));
    }

    @Test
    void exceptionFromSinkLeavesDecoderFailed() {
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, BIG);
        FrameSink throwing = new FrameSink() {
            @Override
            public void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength) {
                throw new WebSocketProtocolException(1007, "test");
            }

            @Override
            public void payload(ByteBuffer chunk) {
            }

            @Override
            public void frameEnd() {
            }
        };
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(Hex.bytes("810141")), throwing))
                .isInstanceOf(WebSocketProtocolException.class);
        assertThat(decoder.isFailed()).isTrue();
        FrameRecorder rec = new FrameRecorder();
        ByteBuffer more = ByteBuffer.wrap(Hex.bytes("810141"));
        decoder.decode(more, rec);
        assertThat(rec.events).isEmpty();
        assertThat(more.hasRemaining()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void inputPositionAndLimitAreRestoredAfterPayloadCalls(Role local) {
        byte[] wire = Wire.from(Wire.peer(local), true, 2, Wire.pattern(10));
        ByteBuffer in = ByteBuffer.allocate(wire.length + 4);
        in.put(wire).put(Hex.bytes("8100")).flip();
        in.limit(wire.length + 1);
        FrameRecorder rec = new FrameRecorder();
        new FrameDecoder(local, BIG).decode(in, rec);
        assertThat(in.position()).isEqualTo(wire.length + 1);
        assertThat(in.limit()).isEqualTo(wire.length + 1);
        assertThat(rec.events).hasSize(1);
    }

    // ---- helpers ----

    /** Decodes {@code wire} in every partition and asserts exactly {@code expected}, nothing left. */
    static void assertDecodes(Role local, byte[] wire, String... expected) {
        Partitions.forEach(wire, (how, pieces) -> {
            FrameDecoder decoder = new FrameDecoder(local, BIG);
            FrameRecorder rec = new FrameRecorder();
            for (ByteBuffer piece : pieces) {
                decoder.decode(piece, rec);
                // Plain checks per piece (AssertJ only on failure): byte-by-byte runs have 65k pieces.
                if (piece.hasRemaining()) {
                    fail(how + ": input not consumed");
                }
                if (piece.array()[2] != (byte) 0xEE || piece.array()[piece.limit()] != (byte) 0xDD) {
                    fail(how + ": guard bytes around the input were changed");
                }
            }
            assertThat(rec.events).as(how).containsExactly(expected);
            assertThat(rec.inFrame()).as(how + ": no frame left open").isFalse();
            assertThat(decoder.isFailed()).isFalse();
        });
    }

    /** Decodes {@code wire} in every partition and asserts the failure code and terminal state. */
    static void assertFails(Role local, byte[] wire, int closeCode) {
        Partitions.forEach(wire, (how, pieces) -> {
            FrameDecoder decoder = new FrameDecoder(local, BIG);
            assertThat(feedUntilFailure(decoder, new FrameRecorder(), pieces)).as(how).isEqualTo(closeCode);
        });
    }

    static int feedUntilFailure(FrameDecoder decoder, FrameSink sink, List<ByteBuffer> pieces) {
        List<ByteBuffer> rest = new ArrayList<>(pieces);
        while (!rest.isEmpty()) {
            ByteBuffer piece = rest.remove(0);
            try {
                decoder.decode(piece, sink);
            } catch (WebSocketProtocolException e) {
                assertThat(decoder.isFailed()).isTrue();
                // Terminal: everything else is swallowed without events.
                FrameRecorder after = new FrameRecorder();
                for (ByteBuffer b : rest) {
                    decoder.decode(b, after);
                    assertThat(b.hasRemaining()).isFalse();
                }
                ByteBuffer valid = ByteBuffer.wrap(Hex.bytes("8a00"));
                decoder.decode(valid, after);
                assertThat(after.events).isEmpty();
                return e.closeCode();
            }
        }
        return fail("no failure");
    }
}
