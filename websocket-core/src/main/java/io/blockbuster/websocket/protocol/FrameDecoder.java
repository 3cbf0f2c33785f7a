package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Incremental frame parser (RFC 6455 section 5.2): bytes in, {@link FrameSink} calls out.
 *
 * <p>Input may be split anywhere, down to one byte per call. Header fields that span calls are
 * accumulated in a few int/long fields, so parsing a header allocates nothing, and no buffer is
 * ever sized from a claimed length: payload bytes are handed on as they arrive, unmasked in place
 * in the caller's buffer (which must therefore be writable when frames are masked).
 *
 * <p>Checked here, from the header alone, before any payload is passed on: RSV bits not allowed by
 * {@link #allowRsv(int)} (1002), reserved opcodes (1002), fragmented control frames and control
 * payloads over 125 bytes (1002), masking required from clients and forbidden from servers (1002),
 * a 64-bit length with the top bit set (1002), a length not encoded in the minimal number of bytes
 * (1002: RFC 6455 5.2 says the minimal encoding MUST be used, and no honest encoder does otherwise),
 * and a payload over {@code maxFramePayloadBytes} (1009). Not checked: anything about messages
 * (continuation order, UTF-8, close payloads) — that is {@link MessageAssembler}'s job.
 *
 * <p>When a whole header is in the buffer it is read with a few wide absolute reads instead of the
 * byte-at-a-time state machine; both paths run the same checks in the same order, so a header
 * gets the same events or the same failure however the input is split.
 *
 * <p>After any exception, whether thrown here or by the sink, the decoder is failed for good and
 * discards further input. Not thread safe; one decoder per connection direction.
 */
public final class FrameDecoder {
    /*
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-------+-+-------------+-------------------------------+
     * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
     * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
     * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
     * | |1|2|3|       |K|             |                               |
     * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
     * |     Extended payload length continued, if payload len == 127  |
     * + - - - - - - - - - - - - - - - +-------------------------------+
     * |                               |Masking-key, if MASK set to 1  |
     * +-------------------------------+-------------------------------+
     * | Masking-key (continued)       |          Payload Data         |
     * +-------------------------------- - - - - - - - - - - - - - - - +
     */
    static final int B0_FIN = 0b1000_0000;
    static final int B0_RSV = 0b0111_0000;
    static final int B0_OPCODE = 0b0000_1111;
    static final int B1_MASK = 0b1000_0000;
    static final int B1_LENGTH = 0b0111_1111;
    static final int LEN_16 = 126;
    static final int LEN_64 = 127;
    static final int MAX_CONTROL_PAYLOAD_BYTES = 125;

    private enum State { BYTE0, BYTE1, LENGTH, MASK_KEY, START, PAYLOAD, FAILED }

    private final Role local;
    private final long maxFramePayloadBytes;
    private int allowedRsv;

    private State state = State.BYTE0;
    // The header being parsed.
    private boolean fin;
    private int rsv;
    private Opcode opcode;
    private boolean masked;
    private int lengthBytesLeft;
    private boolean length64;
    private long length;
    private int keyBytesLeft;
    private int key;
    // Payload progress.
    private long payloadLeft;
    private int phase;

    /**
     * Creates a decoder.
     *
     * @param local the role of THIS endpoint: a {@link Role#SERVER} requires masked frames, a
     *     {@link Role#CLIENT} rejects them
     * @param maxFramePayloadBytes the largest payload a frame may claim; larger fails with 1009
     */
    public FrameDecoder(Role local, long maxFramePayloadBytes) {
        if (local == null) {
            throw new NullPointerException("local");
        }
        if (maxFramePayloadBytes < 0) {
            throw new IllegalArgumentException("maxFramePayloadBytes < 0");
        }
        this.local = local;
        this.maxFramePayloadBytes = maxFramePayloadBytes;
    }

    /**
     * Allows RSV bits claimed by negotiated extensions (e.g. {@code 0b100} for permessage-deflate);
     * cumulative. Whether a given frame may carry them is the assembler's business.
     *
     * @param rsvBits bits to allow, within {@code 0b111}
     */
    public void allowRsv(int rsvBits) {
        if ((rsvBits & ~0b111) != 0) {
            throw new IllegalArgumentException("rsv bits out of range: " + rsvBits);
        }
        allowedRsv |= rsvBits;
    }

    /** Returns whether the decoder failed; a failed decoder discards all input. */
    public boolean isFailed() {
        return state == State.FAILED;
    }

    /**
     * Consumes all of {@code in} (a partial header or payload is kept for the next call), calling
     * {@code sink} in the order {@code frameStart payload* frameEnd} per frame. Payload chunks are
     * the input buffer itself with position and limit narrowed to the chunk (so nothing is
     * allocated); after each call they are set back, so the sink must not retain the buffer.
     *
     * @param in received bytes between position and limit; writable if frames are masked
     * @param sink receives the frames
     * @throws WebSocketProtocolException on a protocol violation; the decoder is then failed
     */
    public void decode(ByteBuffer in, FrameSink sink) {
        if (state == State.FAILED) {
            in.position(in.limit());
            return;
        }
        try {
            run(in, sink);
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private void run(ByteBuffer in, FrameSink sink) {
        while (true) {
            switch (state) {
                case BYTE0:
                    if (readWholeHeader(in)) {
                        // Straight on, without a loop turn per state, when the payload is here too.
                        startFrame(sink);
                        if (payloadLeft <= in.remaining()) {
                            if (payloadLeft > 0) {
                                deliver(in, sink);
                            }
                            state = State.BYTE0;
                            sink.frameEnd();
                        }
                        break;
                    }
                    if (!in.hasRemaining()) {
                        return;
                    }
                    readByte0(in.get());
                    state = State.BYTE1;
                    break;
                case BYTE1:
                    if (!in.hasRemaining()) {
                        return;
                    }
                    readByte1(in.get());
                    break;
                case LENGTH:
                    while (lengthBytesLeft > 0) {
                        if (!in.hasRemaining()) {
                            return;
                        }
                        length = (length << 8) | (in.get() & 0xFF);
                        lengthBytesLeft--;
                    }
                    checkExtendedLength();
                    state = masked ? State.MASK_KEY : State.START;
                    break;
                case MASK_KEY:
                    while (keyBytesLeft > 0) {
                        if (!in.hasRemaining()) {
                            return;
                        }
                        key = (key << 8) | (in.get() & 0xFF);
                        keyBytesLeft--;
                    }
                    state = State.START;
                    break;
                case START:
                    startFrame(sink);
                    break;
                case PAYLOAD:
                    if (payloadLeft > 0) {
                        if (!in.hasRemaining()) {
                            return;
                        }
                        deliver(in, sink);
                    }
                    if (payloadLeft == 0) {
                        state = State.BYTE0;
                        sink.frameEnd();
                    }
                    break;
                default:
                    in.position(in.limit());
                    return;
            }
        }
    }

    private void startFrame(FrameSink sink) {
        payloadLeft = length;
        phase = 0;
        state = State.PAYLOAD;
        sink.frameStart(fin, rsv, opcode, length);
    }

    /**
     * The fast path: when the whole header is in {@code in}, reads it with wide reads at absolute
     * indices, runs the checks of the byte-at-a-time path in the same order, moves past it and
     * sets {@code START}. Returns false, consuming nothing, when the header is not all there.
     */
    private boolean readWholeHeader(ByteBuffer in) {
        int p = in.position();
        int available = in.limit() - p;
        if (available < 2) {
            return false;
        }
        boolean bigEndian = in.order() == ByteOrder.BIG_ENDIAN;
        short b01 = in.getShort(p);
        if (!bigEndian) {
            b01 = Short.reverseBytes(b01);
        }
        int b1 = b01 & 0xFF;
        int len7 = b1 & B1_LENGTH;
        int headerBytes = 2 + (len7 < LEN_16 ? 0 : len7 == LEN_16 ? 2 : 8) + ((b1 & B1_MASK) != 0 ? 4 : 0);
        if (available < headerBytes) {
            return false;
        }
        readByte0((byte) (b01 >>> 8));
        readByte1((byte) b1);
        int i = p + 2;
        if (len7 == LEN_16) {
            short len16 = in.getShort(i);
            length = (bigEndian ? len16 : Short.reverseBytes(len16)) & 0xFFFF;
            i += 2;
            checkExtendedLength();
        } else if (len7 == LEN_64) {
            long len64 = in.getLong(i);
            length = bigEndian ? len64 : Long.reverseBytes(len64);
            i += 8;
            checkExtendedLength();
        }
        lengthBytesLeft = 0;
        if (masked) {
            int k = in.getInt(i);
            key = bigEndian ? k : Integer.reverseBytes(k);
            i += 4;
        }
        keyBytesLeft = 0;
        in.position(i);
        state = State.START;
        return true;
    }

    private void readByte0(byte b) {
        fin = (b & B0_FIN) != 0;
        rsv = (b & B0_RSV) >>> 4;
        opcode = Opcode.of(b & B0_OPCODE);
        if ((rsv & ~allowedRsv) != 0) {
            throw protocolError("RSV bits " + Integer.toBinaryString(rsv) + " without an extension");
        }
        if (opcode.isReserved()) {
            throw protocolError("reserved opcode " + opcode.code());
        }
        // RFC 6455 5.5: control frames MUST NOT be fragmented
        if (!fin && opcode.isControl()) {
            throw protocolError("fragmented control frame");
        }
    }

    private void readByte1(byte b) {
        masked = (b & B1_MASK) != 0;
        // RFC 6455 5.1: a server MUST close on an unmasked frame, a client on a masked one
        if (local == Role.SERVER && !masked) {
            throw protocolError("unmasked frame from client");
        }
        if (local == Role.CLIENT && masked) {
            throw protocolError("masked frame from server");
        }
        int len7 = b & B1_LENGTH;
        if (opcode.isControl() && len7 > MAX_CONTROL_PAYLOAD_BYTES) {
            throw protocolError("control frame payload > 125");
        }
        key = 0;
        keyBytesLeft = masked ? 4 : 0;
        if (len7 == LEN_16) {
            length = 0;
            lengthBytesLeft = 2;
            length64 = false;
            state = State.LENGTH;
        } else if (len7 == LEN_64) {
            length = 0;
            lengthBytesLeft = 8;
            length64 = true;
            state = State.LENGTH;
        } else {
            length = len7;
            checkFrameLimit();
            state = masked ? State.MASK_KEY : State.START;
        }
    }

    private void checkExtendedLength() {
        if (length < 0) {
            throw protocolError("64-bit payload length with the most significant bit set");
        }
        // RFC 6455 5.2: the minimal number of bytes MUST be used to encode the length
        if (length < LEN_16 || (length64 && length <= 0xFFFF)) {
            throw protocolError("payload length not minimally encoded");
        }
        checkFrameLimit();
    }

    private void checkFrameLimit() {
        if (length > maxFramePayloadBytes) {
            throw new WebSocketProtocolException(CloseCodes.MESSAGE_TOO_BIG,
                    "frame payload " + length + " > " + maxFramePayloadBytes);
        }
    }

    private void deliver(ByteBuffer in, FrameSink sink) {
        int start = in.position();
        int limit = in.limit();
        int n = (int) Math.min(limit - start, payloadLeft);
        int end = start + n;
        if (masked) {
            phase = Masking.mask(in, start, end, key, phase);
        }
        payloadLeft -= n;
        in.limit(end);
        try {
            sink.payload(in);
        } finally {
            in.limit(limit);
            in.position(end);
        }
    }

    private static WebSocketProtocolException protocolError(String reason) {
        return new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, reason);
    }
}
