package io.blockbuster.websocket.deflate;

import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * A data message compressed once, without context takeover, into one immutable unmasked server
 * frame with RSV1 set: the broadcast form of permessage-deflate. Any server connection whose
 * extension does not use context takeover for what it sends can write this same frame
 * ({@link PerMessageDeflateExtension#sharedFrame}), so a message fanned out to N such connections
 * costs one compression instead of N.
 *
 * <p>Immutable and thread safe; {@link #frame()} hands out independent read-only views.
 */
public final class CompressedFrame {
    private final Opcode opcode;
    private final int uncompressedLength;
    private final ByteBuffer frame;

    private CompressedFrame(Opcode opcode, int uncompressedLength, ByteBuffer frame) {
        this.opcode = opcode;
        this.uncompressedLength = uncompressedLength;
        this.frame = frame;
    }

    /**
     * Compresses a message at the default level with a Deflater of its own (ended before
     * returning). {@link PerMessageDeflate#compressShared} does the same with pooled Deflaters.
     *
     * @param opcode {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param payload the message, from position to limit; neither its position nor its bytes change
     * @return the frame, or null if compression would not make the message smaller (send it plain)
     * @throws IllegalArgumentException if the opcode is not TEXT or BINARY
     */
    public static CompressedFrame compress(Opcode opcode, ByteBuffer payload) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            return compress(opcode, payload, d);
        } finally {
            d.end();
        }
    }

    /** Compresses with {@code d}, which must be fresh or reset; leaves it holding no input. */
    static CompressedFrame compress(Opcode opcode, ByteBuffer payload, Deflater d) {
        if (opcode != Opcode.TEXT && opcode != Opcode.BINARY) {
            throw new IllegalArgumentException("only TEXT and BINARY messages are compressed: " + opcode);
        }
        int length = payload.remaining();
        ByteBuffer compressed;
        try {
            compressed = MessageDeflater.deflate(d, payload.duplicate(), length - 1);
        } finally {
            d.setInput(new byte[0]);
        }
        if (compressed == null) {
            return null;
        }
        return new CompressedFrame(opcode, length, FrameEncoder.encodeShared(PerMessageDeflateExtension.RSV1, opcode, compressed));
    }

    /** Returns the opcode of the message. */
    public Opcode opcode() {
        return opcode;
    }

    /** Returns the length of the message before compression. */
    public int uncompressedLength() {
        return uncompressedLength;
    }

    /** Returns the whole frame's length in bytes, header included. */
    public int frameLength() {
        return frame.remaining();
    }

    /** Returns a new read-only view of the whole frame (header and compressed payload). */
    public ByteBuffer frame() {
        return frame.duplicate();
    }
}
