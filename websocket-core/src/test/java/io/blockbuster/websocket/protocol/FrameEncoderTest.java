package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameEncoderTest {
    private static final int RFC_KEY = 0x37fa213d;
    private static final FrameEncoder SERVER = new FrameEncoder(Role.SERVER, null);
    private static final FrameEncoder CLIENT = new FrameEncoder(Role.CLIENT, () -> RFC_KEY);

    // ---- RFC 6455 section 5.7 examples, encoding direction ----

    @Test
    void rfc6455SingleFrameUnmaskedTextMessage() {
        assertThat(frame(SERVER, true, Opcode.TEXT, "48656c6c6f")).isEqualTo("810548656c6c6f");
    }

    @Test
    void rfc6455SingleFrameMaskedTextMessage() {
        assertThat(frame(CLIENT, true, Opcode.TEXT, "48656c6c6f")).isEqualTo("818537fa213d7f9f4d5158");
    }

    @Test
    void rfc6455FragmentedUnmaskedTextMessage() {
        ByteBuffer dst = ByteBuffer.allocate(SERVER.messageLength(5, 3));
        SERVER.encodeMessage(0, Opcode.TEXT, ByteBuffer.wrap(Hex.bytes("48656c6c6f")), 3, dst);
        assertThat(dst.hasRemaining()).isFalse();
        assertThat(Hex.of(dst.flip())).isEqualTo("010348656c" + "80026c6f");
    }

    @Test
    void rfc6455UnmaskedPingAndMaskedPong() {
        assertThat(frame(SERVER, true, Opcode.PING, "48656c6c6f")).isEqualTo("890548656c6c6f");
        assertThat(frame(CLIENT, true, Opcode.PONG, "48656c6c6f")).isEqualTo("8a8537fa213d7f9f4d5158");
    }

    @Test
    void rfc6455Binary256BytesAnd64KiBUseExtendedLengths() {
        byte[] b256 = Wire.pattern(256);
        assertThat(frame(SERVER, true, Opcode.BINARY, Hex.of(b256))).isEqualTo("827e0100" + Hex.of(b256));
        byte[] b64k = Wire.pattern(65536);
        assertThat(frame(SERVER, true, Opcode.BINARY, Hex.of(b64k))).isEqualTo("827f0000000000010000" + Hex.of(b64k));
    }

    // ---- lengths ----

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 125, 126, 127, 128, 129, 65535, 65536, 65537, 65538, 65539})
    void edgeLengthsMatchTheReferenceWriterInBothRoles(int length) {
        byte[] payload = Wire.pattern(length);
        assertThat(frame(SERVER, true, Opcode.BINARY, payload)).isEqualTo(Hex.of(Wire.frame(true, 0, 2, payload, null)));
        assertThat(frame(CLIENT, true, Opcode.BINARY, payload)).isEqualTo(Hex.of(Wire.frame(true, 0, 2, payload, RFC_KEY)));
    }

    @Test
    void headerLengthFollowsTheLengthEncoding() {
        assertThat(FrameEncoder.headerLength(0, false)).isEqualTo(2);
        assertThat(FrameEncoder.headerLength(125, false)).isEqualTo(2);
        assertThat(FrameEncoder.headerLength(126, false)).isEqualTo(4);
        assertThat(FrameEncoder.headerLength(65535, false)).isEqualTo(4);
        assertThat(FrameEncoder.headerLength(65536, false)).isEqualTo(10);
        assertThat(FrameEncoder.headerLength(65536, true)).isEqualTo(FrameEncoder.MAX_HEADER_BYTES);
        assertThat(SERVER.frameLength(126)).isEqualTo(130);
        assertThat(CLIENT.frameLength(125)).isEqualTo(131);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void messageLengthIsExactlyWhatEncodeMessageWrites(Role role) {
        FrameEncoder encoder = new FrameEncoder(role, () -> RFC_KEY);
        for (int length : new int[] {0, 1, 5, 125, 126, 300, 65536, 70000}) {
            for (int fragment : new int[] {1, 3, 125, 126, 1000, 65536, Integer.MAX_VALUE}) {
                if (length / fragment > 5000) {
                    continue;
                }
                ByteBuffer payload = ByteBuffer.wrap(Wire.pattern(length));
                ByteBuffer dst = ByteBuffer.allocate(encoder.messageLength(length, fragment));
                encoder.encodeMessage(0, Opcode.BINARY, payload, fragment, dst);
                assertThat(dst.hasRemaining()).as(length + "/" + fragment).isFalse();
                assertThat(payload.hasRemaining()).isFalse();
            }
        }
    }

    // ---- buffers and keys ----

    @Test
    void clientUsesAFreshKeyPerFrameAndLeavesThePayloadUntouched() {
        int[] keys = {0x01020304, 0xA0B0C0D0};
        int[] next = {0};
        FrameEncoder client = new FrameEncoder(Role.CLIENT, () -> keys[next[0]++]);
        byte[] original = Wire.pattern(20);
        ByteBuffer payload = ByteBuffer.wrap(original.clone()).asReadOnlyBuffer();
        ByteBuffer dst = ByteBuffer.allocate(2 * client.frameLength(20));
        client.encodeFrame(true, 0, Opcode.BINARY, payload, dst);
        assertThat(payload.hasRemaining()).isFalse();
        client.encodeFrame(true, 0, Opcode.BINARY, payload.rewind(), dst);
        assertThat(next[0]).isEqualTo(2);
        assertThat(Hex.of(dst.flip())).isEqualTo(Hex.of(Hex.concat(Wire.frame(true, 0, 2, original, keys[0]),
                Wire.frame(true, 0, 2, original, keys[1]))));
    }

    @Test
    void clientFramesDecodeOnTheServerWithRandomKeys() {
        FrameEncoder client = FrameEncoder.forRole(Role.CLIENT);
        FrameDecoder server = new FrameDecoder(Role.SERVER, 1 << 20);
        FrameRecorder rec = new FrameRecorder();
        byte[] payload = Wire.pattern(1000);
        ByteBuffer dst = ByteBuffer.allocate(client.frameLength(1000));
        client.encodeFrame(true, 0, Opcode.BINARY, ByteBuffer.wrap(payload), dst);
        server.decode(dst.flip(), rec);
        assertThat(rec.events).containsExactly(FrameRecorder.frame(true, 0, Opcode.BINARY, payload));
    }

    @Test
    void writeHeaderPlusPayloadEqualsEncodeFrame() {
        for (int length : new int[] {0, 125, 126, 65536}) {
            byte[] payload = Wire.pattern(length);
            ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_BYTES);
            SERVER.writeHeader(true, 0b100, Opcode.TEXT, length, header);
            String whole = Hex.of(Wire.frame(true, 0b100, 1, payload, null));
            assertThat(Hex.of(header.flip()) + Hex.of(payload)).isEqualTo(whole);
        }
    }

    @Test
    void writeHeaderRefusesAClient() {
        assertThatThrownBy(() -> CLIENT.writeHeader(true, 0, Opcode.TEXT, 1, ByteBuffer.allocate(14)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void encodeSharedIsReadOnlyAndEqualsTheServerFrame() {
        ByteBuffer payload = ByteBuffer.wrap(Wire.pattern(300));
        ByteBuffer shared = FrameEncoder.encodeShared(0, Opcode.BINARY, payload);
        assertThat(payload.hasRemaining()).isFalse();
        assertThat(shared.isReadOnly()).isTrue();
        assertThat(Hex.of(shared)).isEqualTo(Hex.of(Wire.frame(true, 0, 2, Wire.pattern(300), null)));
        ByteBuffer one = shared.duplicate();
        ByteBuffer two = shared.duplicate();
        one.position(one.limit());
        assertThat(two.remaining()).isEqualTo(shared.remaining());
        assertThatThrownBy(() -> shared.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void encodeIntoLittleEndianAndOffsetBuffersGivesTheSameBytes() {
        byte[] payload = Wire.pattern(77);
        ByteBuffer dst = ByteBuffer.allocate(3 + CLIENT.frameLength(77)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        dst.position(3);
        CLIENT.encodeFrame(true, 0, Opcode.BINARY, ByteBuffer.wrap(payload), dst);
        dst.flip().position(3);
        assertThat(Hex.of(dst)).isEqualTo(Hex.of(Wire.frame(true, 0, 2, payload, RFC_KEY)));
    }

    // ---- close payloads ----

    @Test
    void closePayloadCarriesCodeAndReason() {
        assertThat(Hex.of(FrameEncoder.closePayload(1000, "ok"))).isEqualTo("03e86f6b");
        assertThat(Hex.of(FrameEncoder.closePayload(4000, null))).isEqualTo("0fa0");
    }

    @Test
    void closeReasonIsTruncatedTo123BytesOnACharacterBoundary() {
        String reason = "a" + "€".repeat(50);
        ByteBuffer p = FrameEncoder.closePayload(1001, reason);
        assertThat(p.remaining() - 2).isEqualTo(121);
        ByteBuffer text = p.duplicate().position(2);
        assertThat(Utf8Validator.isValid(text)).isTrue();
        assertThat(reason).startsWith(StandardCharsets.UTF_8.decode(text).toString());
        assertThat(FrameEncoder.closePayload(1000, "x".repeat(200)).remaining()).isEqualTo(125);
    }

    @Test
    void closeEchoRepeatsTheCodeOrIsEmptyFor1005() {
        assertThat(Hex.of(FrameEncoder.echoClosePayload(1001))).isEqualTo("03e9");
        assertThat(Hex.of(FrameEncoder.echoClosePayload(4321))).isEqualTo("10e1");
        assertThat(FrameEncoder.echoClosePayload(CloseCodes.NO_STATUS_RECEIVED).remaining()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 2000, 5000})
    void closePayloadRefusesCodesThatMayNotBeSent(int code) {
        assertThatThrownBy(() -> FrameEncoder.closePayload(code, "")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- caller mistakes ----

    @Test
    void callerMistakesThrowIllegalArgumentAndWriteNothing() {
        ByteBuffer dst = ByteBuffer.allocate(1000);
        List<Runnable> mistakes = new ArrayList<>();
        mistakes.add(() -> SERVER.encodeFrame(true, 0, Opcode.PING, ByteBuffer.allocate(126), dst));
        mistakes.add(() -> SERVER.encodeFrame(false, 0, Opcode.CLOSE, ByteBuffer.allocate(2), dst));
        mistakes.add(() -> SERVER.encodeFrame(true, 8, Opcode.TEXT, ByteBuffer.allocate(2), dst));
        mistakes.add(() -> SERVER.encodeFrame(true, 0, Opcode.RESERVED_3, ByteBuffer.allocate(2), dst));
        mistakes.add(() -> SERVER.encodeFrame(true, 0, Opcode.TEXT, ByteBuffer.allocate(999), dst));
        mistakes.add(() -> SERVER.messageLength(10, 0));
        for (Runnable r : mistakes) {
            assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class);
            assertThat(dst.position()).isZero();
        }
    }

    private static String frame(FrameEncoder encoder, boolean fin, Opcode opcode, String payloadHex) {
        return frame(encoder, fin, opcode, Hex.bytes(payloadHex));
    }

    private static String frame(FrameEncoder encoder, boolean fin, Opcode opcode, byte[] payload) {
        ByteBuffer dst = ByteBuffer.allocate(encoder.frameLength(payload.length));
        ByteBuffer src = ByteBuffer.wrap(payload.clone());
        encoder.encodeFrame(fin, 0, opcode, src, dst);
        assertThat(dst.hasRemaining()).isFalse();
        assertThat(src.array()).isEqualTo(payload);
        return Hex.of(dst.flip());
    }

    static IntSupplier fixedKey() {
        return () -> RFC_KEY;
    }
}
