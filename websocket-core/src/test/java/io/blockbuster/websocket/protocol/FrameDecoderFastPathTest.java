package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The whole-header fast path of {@link FrameDecoder} against its byte-at-a-time state machine:
 * every first byte (all FIN, RSV and opcode combinations), masked and unmasked, every length
 * encoding with valid, non-minimal, negative and over-limit lengths, both roles, with and without
 * an allowed RSV bit. Fed whole (fast path; big- and little-endian heap, direct) and one byte at a
 * time or cut inside the header (slow path), each header must give the same events or the same
 * failure (close code and reason).
 */
class FrameDecoderFastPathTest {
    private static final long LIMIT = 300;
    private static final int KEY = 0x37fa213d;

    @Test
    void fastAndSlowPathsAgreeOnEveryHeader() {
        Set<String> outcomes = new LinkedHashSet<>();
        int cases = 0;
        for (Role local : Role.values()) {
            for (int allowedRsv : new int[] {0, 0b100}) {
                for (int b0 = 0; b0 < 256; b0++) {
                    for (boolean masked : new boolean[] {false, true}) {
                        for (byte[] lengthField : lengthFields()) {
                            byte[] wire = wire(local, b0, masked, lengthField);
                            String whole = decode(local, allowedRsv, List.of(heap(wire, 0, wire.length)));
                            String label = Hex.of(wire.length > 16 ? java.util.Arrays.copyOf(wire, 16) : wire)
                                    + " local=" + local + " rsv=" + allowedRsv;
                            assertThat(decode(local, allowedRsv, byteByByte(wire))).as(label + " byte by byte").isEqualTo(whole);
                            assertThat(decode(local, allowedRsv, List.of(heap(wire, 0, 1), heap(wire, 1, wire.length))))
                                    .as(label + " cut after byte 0").isEqualTo(whole);
                            int headerBytes = 2 + lengthField.length + (masked ? 4 : 0);
                            assertThat(decode(local, allowedRsv,
                                    List.of(heap(wire, 0, headerBytes - 1), heap(wire, headerBytes - 1, wire.length))))
                                    .as(label + " cut inside the header").isEqualTo(whole);
                            ByteBuffer little = heap(wire, 0, wire.length).order(ByteOrder.LITTLE_ENDIAN);
                            assertThat(decode(local, allowedRsv, List.of(little))).as(label + " little-endian").isEqualTo(whole);
                            ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
                            assertThat(decode(local, allowedRsv, List.of(direct))).as(label + " direct").isEqualTo(whole);
                            outcomes.add(whole.replaceAll("^.*(FAILED \\d+ [a-z -]+).*$", "$1"));
                            cases++;
                        }
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(2 * 2 * 256 * 2 * lengthFields().size());
        // Every rule was hit at least once, and valid frames were decoded too.
        assertThat(String.join("\n", outcomes))
                .contains("FAILED 1002 RSV bits", "FAILED 1002 reserved opcode", "FAILED 1002 fragmented control frame",
                        "FAILED 1002 unmasked frame from client", "FAILED 1002 masked frame from server",
                        "FAILED 1002 control frame payload", "FAILED 1002 payload length not minimally encoded",
                        "FAILED 1002 64-bit payload length with the most significant bit set", "FAILED 1009 frame payload")
                .contains(FrameRecorder.event(true, 0, Opcode.BINARY));
    }

    /** The 7-bit length alone, or 126/127 with an extended length: valid, non-minimal, negative, too big. */
    private static List<byte[]> lengthFields() {
        return List.of(Hex.bytes("00"), Hex.bytes("01"), Hex.bytes("7d"),
                Hex.bytes("7e007d"), Hex.bytes("7e007e"), Hex.bytes("7e012c"), Hex.bytes("7e012d"), Hex.bytes("7effff"),
                Hex.bytes("7f000000000000ffff"), Hex.bytes("7f0000000000010000"), Hex.bytes("7f8000000000000001"),
                Hex.bytes("7f7fffffffffffffff"));
    }

    /** Header, the payload its length claims when that is small, then a valid empty pong from the same peer. */
    private static byte[] wire(Role local, int b0, boolean masked, byte[] lengthField) {
        byte[] header = lengthField.clone();
        if (masked) {
            header[0] |= (byte) 0x80;
        }
        long length = lengthField.length == 1 ? lengthField[0]
                : lengthField.length == 3 ? ByteBuffer.wrap(lengthField, 1, 2).getShort() & 0xFFFF
                : ByteBuffer.wrap(lengthField, 1, 8).getLong();
        byte[] payload = length >= 0 && length <= LIMIT ? Wire.pattern((int) length) : new byte[0];
        byte[] key = masked ? Hex.bytes("37fa213d") : new byte[0];
        Integer pongKey = Wire.peer(local) == Role.CLIENT ? KEY : null;
        return Hex.concat(new byte[] {(byte) b0}, header, key, payload, Wire.frame(true, 0, 0xA, new byte[0], pongKey));
    }

    private static String decode(Role local, int allowedRsv, List<ByteBuffer> pieces) {
        FrameDecoder decoder = new FrameDecoder(local, LIMIT);
        if (allowedRsv != 0) {
            decoder.allowRsv(allowedRsv);
        }
        FrameRecorder rec = new FrameRecorder();
        for (ByteBuffer piece : pieces) {
            try {
                decoder.decode(piece, rec);
            } catch (WebSocketProtocolException e) {
                return rec.events + " FAILED " + e.closeCode() + " " + e.getMessage();
            }
        }
        return rec.events + (rec.inFrame() ? " open frame" : "");
    }

    private static ByteBuffer heap(byte[] wire, int from, int to) {
        return Partitions.piece(wire, from, to);
    }

    private static List<ByteBuffer> byteByByte(byte[] wire) {
        List<ByteBuffer> pieces = new ArrayList<>(wire.length);
        for (int i = 0; i < wire.length; i++) {
            pieces.add(heap(wire, i, i + 1));
        }
        return pieces;
    }
}
