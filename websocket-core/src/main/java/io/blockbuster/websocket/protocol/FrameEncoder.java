package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.util.function.IntSupplier;

/**
 * Writes frames into caller-provided buffers (RFC 6455 section 5.2).
 */
public final class FrameEncoder {
    /** Largest frame header: 2 + 8 length bytes + 4 mask key bytes. */
    public static final int MAX_HEADER_BYTES = 14;

    /**
     * Creates an encoder.
     *
     * @param local the role of this endpoint
     * @param maskKeys mask key source, used only by {@link Role#CLIENT}
     */
    public FrameEncoder(Role local, IntSupplier maskKeys) {
    }

    /**
     * Returns an encoder for a role; a client's mask keys come from a SecureRandom.
     *
     * @param local the role
     * @return the encoder
     */
    public static FrameEncoder forRole(Role local) {
        throw new UnsupportedOperationException();
    }

    /**
     * Returns the header length for a payload length.
     *
     * @param payloadLength the payload length
     * @param masked whether a mask key follows
     * @return 2 to 14
     */
    public static int headerLength(long payloadLength, boolean masked) {
        throw new UnsupportedOperationException();
    }

    /**
     * Returns header plus payload length for this role.
     *
     * @param payloadLength the payload length
     * @return the frame length
     */
    public int frameLength(long payloadLength) {
        throw new UnsupportedOperationException();
    }

    /**
     * Writes one whole frame.
     *
     * @param fin FIN bit
     * @param rsv RSV bits
     * @param opcode opcode
     * @param payload payload, consumed but not modified
     * @param dst destination with frameLength(payload.remaining()) bytes free
     */
    public void encodeFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload, ByteBuffer dst) {
        throw new UnsupportedOperationException();
    }

    /**
     * Writes an unmasked frame header (server only).
     *
     * @param fin FIN bit
     * @param rsv RSV bits
     * @param opcode opcode
     * @param payloadLength payload length
     * @param dst destination
     */
    public void writeHeader(boolean fin, int rsv, Opcode opcode, long payloadLength, ByteBuffer dst) {
        throw new UnsupportedOperationException();
    }

    /**
     * Returns the length of a message encoded as fragments.
     *
     * @param payloadLength payload length
     * @param fragmentSize max payload per frame
     * @return total bytes
     */
    public int messageLength(long payloadLength, int fragmentSize) {
        throw new UnsupportedOperationException();
    }

    /**
     * Encodes a whole message as fragments.
     *
     * @param rsv RSV bits of the first frame
     * @param opcode opcode of the first frame
     * @param payload payload, consumed but not modified
     * @param fragmentSize max payload per frame
     * @param dst destination with messageLength bytes free
     */
    public void encodeMessage(int rsv, Opcode opcode, ByteBuffer payload, int fragmentSize, ByteBuffer dst) {
        throw new UnsupportedOperationException();
    }

    /**
     * Encodes one read-only unmasked server frame for many connections.
     *
     * @param rsv RSV bits
     * @param opcode opcode
     * @param payload payload, consumed but not modified
     * @return a read-only buffer holding the frame
     */
    public static ByteBuffer encodeShared(int rsv, Opcode opcode, ByteBuffer payload) {
        throw new UnsupportedOperationException();
    }

    /**
     * Builds a Close frame payload.
     *
     * @param code the close code
     * @param reason the reason, truncated to 123 UTF-8 bytes on a character boundary
     * @return the payload
     */
    public static ByteBuffer closePayload(int code, String reason) {
        throw new UnsupportedOperationException();
    }
}
