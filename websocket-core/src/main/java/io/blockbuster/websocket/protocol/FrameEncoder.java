package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.IntSupplier;

/**
 * Writes frames (RFC 6455 section 5.2; the diagram is beside {@link FrameDecoder}'s constants)
 * into buffers the caller owns. A {@link Role#SERVER} writes unmasked frames; a
 * {@link Role#CLIENT} masks every frame with a fresh key from its key source. Payload buffers are
 * read from position to limit and never modified (a client masks its copy in {@code dst}).
 *
 * <p>Caller mistakes (a control frame that is fragmented or over 125 bytes, RSV bits outside
 * {@code 0b111}, a reserved opcode, too little room in {@code dst}) throw
 * {@link IllegalArgumentException} before anything is written. Allocates nothing, except
 * {@link #encodeShared} and {@link #closePayload}. Not thread safe when masking (the key source
 * is called per frame); a server encoder is stateless.
 */
public final class FrameEncoder {
    /** Largest frame header: 2 bytes, 8 extended length bytes and a 4-byte mask key. */
    public static final int MAX_HEADER_BYTES = 14;

    private static final int MAX_CLOSE_REASON_BYTES = 123;

    private final Role local;
    private final boolean masking;
    private final IntSupplier maskKeys;

    /**
     * Creates an encoder.
     *
     * @param local the role of this endpoint
     * @param maskKeys mask key source, called once per frame; used only by {@link Role#CLIENT}
     *     (tests pass a fixed sequence, production a {@link SecureRandom})
     */
    public FrameEncoder(Role local, IntSupplier maskKeys) {
        if (local == null) {
            throw new NullPointerException("local");
        }
        if (local == Role.CLIENT && maskKeys == null) {
            throw new NullPointerException("a client needs mask keys");
        }
        this.local = local;
        this.masking = local == Role.CLIENT;
        this.maskKeys = maskKeys;
    }

    /**
     * Returns an encoder for a role; a client's mask keys come from a new {@link SecureRandom}.
     *
     * @param local the role of this endpoint
     * @return the encoder
     */
    public static FrameEncoder forRole(Role local) {
        if (local == Role.CLIENT) {
            SecureRandom random = new SecureRandom();
            return new FrameEncoder(local, random::nextInt);
        }
        return new FrameEncoder(local, null);
    }

    /** Returns the role this encoder writes for. */
    public Role role() {
        return local;
    }

    /**
     * Returns the header length for a payload length.
     *
     * @param payloadLength the payload length, {@code >= 0}
     * @param masked whether a mask key follows the length
     * @return 2 to 14
     */
    public static int headerLength(long payloadLength, boolean masked) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length");
        }
        int n = payloadLength < FrameDecoder.LEN_16 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? n + 4 : n;
    }

    /**
     * Returns header plus payload length for this role.
     *
     * @param payloadLength the payload length
     * @return the frame length
     * @throws IllegalArgumentException if the frame would not fit in an int
     */
    public int frameLength(long payloadLength) {
        long n = headerLength(payloadLength, masking) + payloadLength;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame too large for one buffer: " + n);
        }
        return (int) n;
    }

    /**
     * Writes one whole frame: header, mask key and (masked, for a client) payload.
     *
     * @param fin the FIN bit
     * @param rsv RSV bits, within {@code 0b111}
     * @param opcode a non-reserved opcode
     * @param payload read from position to limit; the position ends at the limit, bytes unchanged
     * @param dst receives the frame; needs {@code frameLength(payload.remaining())} bytes free
     */
    public void encodeFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload, ByteBuffer dst) {
        int length = payload.remaining();
        check(fin, rsv, opcode, length);
        if (dst.remaining() < frameLength(length)) {
            throw new IllegalArgumentException("dst has " + dst.remaining() + " bytes, frame needs " + frameLength(length));
        }
        if (!masking) {
            putHeader(fin, rsv, opcode, length, false, dst);
            dst.put(payload);
            return;
        }
        int key = maskKeys.getAsInt();
        putHeader(fin, rsv, opcode, length, true, dst);
        dst.put((byte) (key >>> 24)).put((byte) (key >>> 16)).put((byte) (key >>> 8)).put((byte) key);
        int start = dst.position();
        dst.put(payload);
        Masking.mask(dst, start, start + length, key, 0);
    }

    /**
     * Writes only an unmasked frame header, so the transport can send header and an untouched
     * payload as one gathering write. Server only.
     *
     * @param fin the FIN bit
     * @param rsv RSV bits
     * @param opcode a non-reserved opcode
     * @param payloadLength the length of the payload that will follow
     * @param dst receives 2 to 10 bytes
     * @throws IllegalStateException for a client encoder, whose frames must be masked
     */
    public void writeHeader(boolean fin, int rsv, Opcode opcode, long payloadLength, ByteBuffer dst) {
        if (masking) {
            throw new IllegalStateException("a client must mask its frames; use encodeFrame");
        }
        check(fin, rsv, opcode, payloadLength);
        if (dst.remaining() < headerLength(payloadLength, false)) {
            throw new IllegalArgumentException("dst too small for the header");
        }
        putHeader(fin, rsv, opcode, payloadLength, false, dst);
    }

    /**
     * Returns the bytes {@link #encodeMessage} writes.
     *
     * @param payloadLength the message payload length
     * @param fragmentSize the largest payload per frame, {@code > 0}
     * @return header and payload bytes of all frames
     * @throws IllegalArgumentException if the result would not fit in an int
     */
    public int messageLength(long payloadLength, int fragmentSize) {
        if (fragmentSize <= 0) {
            throw new IllegalArgumentException("fragmentSize must be > 0");
        }
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length");
        }
        long full = payloadLength / fragmentSize;
        long rest = payloadLength % fragmentSize;
        long total = full * (headerLength(fragmentSize, masking) + (long) fragmentSize);
        if (rest > 0 || payloadLength == 0) {
            total += headerLength(rest, masking) + rest;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("message too large for one buffer: " + total);
        }
        return (int) total;
    }

    /**
     * Writes a whole message as frames of at most {@code fragmentSize} payload bytes: the first
     * frame carries {@code opcode} and {@code rsv}, the rest are CONTINUATION frames, the last has
     * FIN. An empty payload gives one empty frame.
     *
     * @param rsv RSV bits of the first frame
     * @param opcode TEXT or BINARY (a control opcode only if the payload fits one frame)
     * @param payload read from position to limit; the position ends at the limit, bytes unchanged
     * @param fragmentSize the largest payload per frame, {@code > 0}
     * @param dst needs {@code messageLength(payload.remaining(), fragmentSize)} bytes free
     */
    public void encodeMessage(int rsv, Opcode opcode, ByteBuffer payload, int fragmentSize, ByteBuffer dst) {
        int needed = messageLength(payload.remaining(), fragmentSize);
        if (dst.remaining() < needed) {
            throw new IllegalArgumentException("dst has " + dst.remaining() + " bytes, message needs " + needed);
        }
        int limit = payload.limit();
        boolean first = true;
        do {
            int n = Math.min(payload.remaining(), fragmentSize);
            boolean fin = n == payload.remaining();
            payload.limit(payload.position() + n);
            try {
                encodeFrame(fin, first ? rsv : 0, first ? opcode : Opcode.CONTINUATION, payload, dst);
            } finally {
                payload.limit(limit);
            }
            first = false;
        } while (payload.hasRemaining());
    }

    /**
     * Encodes one unmasked server frame (FIN set) into a new read-only buffer, to be written to
     * many connections: each writes its own {@code duplicate()} and the bytes never change.
     *
     * @param rsv RSV bits
     * @param opcode a non-reserved opcode
     * @param payload read from position to limit; the position ends at the limit, bytes unchanged
     * @return a read-only buffer holding exactly the frame
     */
    public static ByteBuffer encodeShared(int rsv, Opcode opcode, ByteBuffer payload) {
        long length = payload.remaining();
        check(true, rsv, opcode, length);
        ByteBuffer frame = ByteBuffer.allocate(headerLength(length, false) + (int) length);
        putHeader(true, rsv, opcode, length, false, frame);
        frame.put(payload).flip();
        return frame.asReadOnlyBuffer();
    }

    /**
     * Builds a Close frame payload: the 2-byte code and the UTF-8 reason, truncated to 123 bytes
     * on a character boundary.
     *
     * @param code a code valid to send ({@link CloseCodes#isValidToSend(int)})
     * @param reason the reason, or null for none
     * @return a new buffer, position 0
     * @throws IllegalArgumentException if the code may not be sent
     */
    public static ByteBuffer closePayload(int code, String reason) {
        if (!CloseCodes.isValidToSend(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        byte[] utf8 = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int n = utf8.length;
        if (n > MAX_CLOSE_REASON_BYTES) {
            n = MAX_CLOSE_REASON_BYTES;
            // Back off continuation bytes so the cut falls before a lead byte.
            while (n > 0 && (utf8[n] & 0xC0) == 0x80) {
                n--;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(2 + n);
        out.put((byte) (code >>> 8)).put((byte) code).put(utf8, 0, n).flip();
        return out;
    }

    /**
     * Builds the payload of the Close frame that answers a peer's Close (RFC 6455 5.5.1: echo the
     * status code received): the code alone, or an empty payload when the peer's Close had none
     * ({@link CloseCodes#NO_STATUS_RECEIVED}, which may not be sent).
     *
     * @param receivedCode the code from {@link MessageSink#onClose}
     * @return a new buffer, position 0
     */
    public static ByteBuffer echoClosePayload(int receivedCode) {
        if (!CloseCodes.isValidToSend(receivedCode)) {
            return ByteBuffer.allocate(0);
        }
        return closePayload(receivedCode, null);
    }

    private static void check(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        if ((rsv & ~0b111) != 0) {
            throw new IllegalArgumentException("rsv out of range: " + rsv);
        }
        if (opcode.isReserved()) {
            throw new IllegalArgumentException("reserved opcode " + opcode);
        }
        if (opcode.isControl()) {
            if (!fin) {
                throw new IllegalArgumentException("control frames cannot be fragmented");
            }
            if (payloadLength > FrameDecoder.MAX_CONTROL_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("control frame payload " + payloadLength + " > 125");
            }
        }
    }

    private static void putHeader(boolean fin, int rsv, Opcode opcode, long length, boolean masked, ByteBuffer dst) {
        dst.put((byte) ((fin ? FrameDecoder.B0_FIN : 0) | (rsv << 4) | opcode.code()));
        int maskBit = masked ? FrameDecoder.B1_MASK : 0;
        if (length < FrameDecoder.LEN_16) {
            dst.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            dst.put((byte) (maskBit | FrameDecoder.LEN_16));
            dst.put((byte) (length >>> 8)).put((byte) length);
        } else {
            dst.put((byte) (maskBit | FrameDecoder.LEN_64));
            for (int shift = 56; shift >= 0; shift -= 8) {
                dst.put((byte) (length >>> shift));
            }
        }
    }
}
