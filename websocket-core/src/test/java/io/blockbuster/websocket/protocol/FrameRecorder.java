package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A FrameSink that checks the call grammar {@code frameStart payload* frameEnd} and records each
 * frame as one line, payload chunks joined, so that any input partition yields the same events.
 */
final class FrameRecorder implements FrameSink {
    final List<String> events = new ArrayList<>();
    private String header;
    private long claimed;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

    @Override
    public void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        assertThat(header).as("frameStart inside a frame").isNull();
        header = event(fin, rsv, opcode);
        claimed = payloadLength;
        payload.reset();
    }

    @Override
    public void payload(ByteBuffer chunk) {
        // Plain checks: this runs once per byte in byte-by-byte partitions.
        if (header == null) {
            throw new AssertionError("payload outside a frame");
        }
        if (!chunk.hasRemaining()) {
            throw new AssertionError("empty payload chunk");
        }
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        payload.writeBytes(bytes);
    }

    @Override
    public void frameEnd() {
        assertThat(header).as("frameEnd outside a frame").isNotNull();
        assertThat((long) payload.size()).as("payload length").isEqualTo(claimed);
        events.add(header + " " + describe(payload.toByteArray()));
        header = null;
    }

    /** Payloads up to 64 bytes as hex, longer ones as length and a content hash. */
    static String describe(byte[] payload) {
        if (payload.length <= 64) {
            return Hex.of(payload);
        }
        return "len=" + payload.length + " hash=" + java.util.Arrays.hashCode(payload);
    }

    boolean inFrame() {
        return header != null;
    }

    static String event(boolean fin, int rsv, Opcode opcode) {
        return (fin ? "fin " : "more ") + opcode + (rsv != 0 ? " rsv=" + Integer.toBinaryString(rsv) : "");
    }

    static String frame(boolean fin, Opcode opcode, String payloadHex) {
        return event(fin, 0, opcode) + " " + payloadHex.replace(" ", "");
    }

    static String frame(boolean fin, int rsv, Opcode opcode, byte[] payload) {
        return event(fin, rsv, opcode) + " " + describe(payload);
    }
}
