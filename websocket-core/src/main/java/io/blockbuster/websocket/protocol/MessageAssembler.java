package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns frames into messages (RFC 6455 sections 5.4-5.5): reassembles fragments, enforces the
 * continuation rules (a continuation without a started message, or a new data frame inside one,
 * is 1002; RSV bits on a continuation or control frame are 1002), lets control frames arrive
 * between fragments, validates text as UTF-8 as it arrives (1007 at the first bad byte, or at the
 * end of a truncated message), enforces {@link ProtocolLimits#maxMessageBytes()} from frame headers
 * before buffering (1009), validates Close payloads (one byte, an invalid code or a reason over 123
 * bytes is 1002; a reason that is not UTF-8 is 1007) and runs negotiated extensions on messages
 * whose first frame carries their RSV bits.
 *
 * <p>A message that arrives whole in one chunk is delivered as a view of the input, without
 * copying; only messages spanning reads are copied into a buffer that grows with the bytes
 * actually received (never by a claimed length) and is dropped after messages over 64 KiB.
 * After a Close frame, further frames are ignored. Exceptions thrown by the sink propagate to the
 * caller (the {@link FrameDecoder}, which then fails). Not thread safe.
 */
public final class MessageAssembler implements FrameSink {
    private static final int MIN_BUFFER_BYTES = 1024;
    private static final int MAX_RETAINED_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 16;
    private static final int MAX_CLOSE_REASON_BYTES = 123;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final byte[] NO_BYTES = new byte[0];
    private static final Extension[] NO_EXTENSIONS = new Extension[0];

    private final ProtocolLimits limits;
    private final Extension[] extensions;
    private final int extensionRsv;
    private final MessageSink sink;
    private final PartialMessageSink partialSink;
    private final long partialThresholdBytes;
    private final Utf8Validator utf8 = new Utf8Validator();
    /** Only for control payloads split across reads; allocated on the first (rare: idle connections keep none). */
    private ByteBuffer control;
    private boolean controlDone;
    private ByteBuffer data = EMPTY;

    // The current frame.
    private Opcode frameOpcode;
    private boolean frameFin;
    private long frameLength;
    private long frameReceived;
    private boolean ignoring;
    // The current data message.
    private boolean inMessage;
    private Opcode messageOpcode;
    private int messageRsv;
    private long messageBytes;
    private boolean streaming;
    private boolean validateAsReceived;
    private boolean delivered;
    private byte[] carry = NO_BYTES;
    private boolean closeReceived;

    /**
     * Creates an assembler that delivers whole messages only.
     *
     * @param limits size limits ({@code maxMessageBytes} applies here)
     * @param extensions negotiated extensions, in negotiation order; may be empty
     * @param sink receives messages
     */
    public MessageAssembler(ProtocolLimits limits, List<Extension> extensions, MessageSink sink) {
        this(limits, extensions, sink, null, Long.MAX_VALUE);
    }

    /**
     * Creates an assembler that delivers large messages in parts as they arrive: a message is
     * streamed to {@link PartialMessageSink#onTextPart}/{@link PartialMessageSink#onBinaryPart}
     * when its first frame is not final or claims more than {@code partialThresholdBytes};
     * smaller single-frame messages, and messages compressed by an extension (which must be
     * decoded whole), are delivered whole. {@code maxMessageBytes} still applies to streamed
     * messages.
     *
     * @param limits size limits
     * @param extensions negotiated extensions, in negotiation order; may be empty
     * @param sink receives messages and parts
     * @param partialThresholdBytes single frames above this size are streamed
     */
    public MessageAssembler(ProtocolLimits limits, List<Extension> extensions, PartialMessageSink sink,
                            long partialThresholdBytes) {
        this(limits, extensions, sink, sink, partialThresholdBytes);
    }

    private MessageAssembler(ProtocolLimits limits, List<Extension> extensions, MessageSink sink,
                             PartialMessageSink partialSink, long partialThresholdBytes) {
        if (limits == null || sink == null) {
            throw new NullPointerException("limits and sink are required");
        }
        this.limits = limits;
        this.extensions = extensions == null || extensions.isEmpty() ? NO_EXTENSIONS : extensions.toArray(NO_EXTENSIONS);
        int rsv = 0;
        for (Extension e : this.extensions) {
            rsv |= e.rsvBits();
        }
        this.extensionRsv = rsv;
        this.sink = sink;
        this.partialSink = partialSink;
        this.partialThresholdBytes = partialThresholdBytes;
    }

    /** Returns whether a Close frame was received (later frames are ignored). */
    public boolean isCloseReceived() {
        return closeReceived;
    }

    @Override
    public void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        ignoring = closeReceived;
        if (ignoring) {
            return;
        }
        frameOpcode = opcode;
        frameFin = fin;
        frameLength = payloadLength;
        frameReceived = 0;
        if (opcode.isControl()) {
            // The decoder checks these too; repeated because any FrameSource may feed us.
            if (rsv != 0) {
                throw protocolError("RSV bits on a control frame");
            }
            if (!fin || payloadLength > FrameDecoder.MAX_CONTROL_PAYLOAD_BYTES || opcode.isReserved()) {
                throw protocolError("invalid control frame");
            }
            controlDone = false;
            if (control != null) {
                control.clear();
            }
            return;
        }
        if (opcode == Opcode.CONTINUATION) {
            if (!inMessage) {
                throw protocolError("continuation frame without a message to continue");
            }
            // RFC 7692 6.1: RSV1 only on the first frame of a message; no extension here uses others per frame
            if (rsv != 0) {
                throw protocolError("RSV bits on a continuation frame");
            }
        } else if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) {
            if (inMessage) {
                throw protocolError("new data frame inside a fragmented message");
            }
            if ((rsv & ~extensionRsv) != 0) {
                throw protocolError("RSV bits no extension claims");
            }
            startMessage(fin, rsv, opcode, payloadLength);
        } else {
            throw protocolError("reserved opcode " + opcode.code());
        }
        if (payloadLength > limits.maxMessageBytes() - messageBytes) {
            throw new WebSocketProtocolException(CloseCodes.MESSAGE_TOO_BIG,
                    "message over " + limits.maxMessageBytes() + " bytes");
        }
        messageBytes += payloadLength;
    }

    private void startMessage(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        inMessage = true;
        messageOpcode = opcode;
        messageRsv = rsv;
        messageBytes = 0;
        delivered = false;
        streaming = partialSink != null && rsv == 0 && (!fin || payloadLength > partialThresholdBytes);
        validateAsReceived = opcode == Opcode.TEXT && rsv == 0;
        // Per-message resets, skipped when there is nothing to reset (the binary steady state).
        if (opcode == Opcode.TEXT) {
            utf8.reset();
        }
        if (data != EMPTY) {
            data.clear();
        }
        carry = NO_BYTES;
    }

    @Override
    public void payload(ByteBuffer chunk) {
        if (ignoring) {
            return;
        }
        int n = chunk.remaining();
        if (frameOpcode.isControl()) {
            if (frameReceived == 0 && n == frameLength) {
                // The whole payload in one chunk: hand on the view now, no copy (the common case).
                frameReceived = n;
                controlDone = true;
                onControl(chunk);
                return;
            }
            if (control == null) {
                control = ByteBuffer.allocate(FrameDecoder.MAX_CONTROL_PAYLOAD_BYTES);
            }
            control.put(chunk);
            frameReceived += n;
            return;
        }
        if (validateAsReceived) {
            utf8.validate(chunk);
        }
        boolean lastChunkOfFrame = frameReceived + n == frameLength;
        frameReceived += n;
        if (streaming) {
            deliverPart(chunk, frameFin && lastChunkOfFrame);
        } else if (frameFin && lastChunkOfFrame && data.position() == 0) {
            // The whole message is in this chunk: deliver the view, no copy.
            deliverWhole(chunk);
        } else {
            append(chunk);
        }
    }

    @Override
    public void frameEnd() {
        if (ignoring) {
            return;
        }
        if (frameOpcode.isControl()) {
            if (!controlDone) {
                onControl(frameLength == 0 || control == null ? EMPTY : control.flip());
            }
            return;
        }
        if (!frameFin) {
            return;
        }
        if (!delivered) {
            if (streaming) {
                deliverPart(EMPTY, true);
            } else {
                data.flip();
                deliverWhole(data);
            }
        }
        inMessage = false;
        if (data.capacity() > MAX_RETAINED_BUFFER_BYTES) {
            data = EMPTY;
        } else if (data != EMPTY) {
            data.clear();
        }
    }

    private void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (data.remaining() < n) {
            long needed = (long) data.position() + n;
            if (needed > MAX_ARRAY_BYTES) {
                throw new WebSocketProtocolException(CloseCodes.MESSAGE_TOO_BIG, "message too big to buffer");
            }
            long grown = Math.max(needed, Math.max(MIN_BUFFER_BYTES, 2L * data.capacity()));
            int capacity = (int) Math.min(grown, Math.max(needed, Math.min(MAX_ARRAY_BYTES, limits.maxMessageBytes())));
            ByteBuffer bigger = ByteBuffer.allocate(capacity);
            data.flip();
            bigger.put(data);
            data = bigger;
        }
        data.put(chunk);
    }

    private void deliverWhole(ByteBuffer payload) {
        delivered = true;
        ByteBuffer message = payload;
        if (messageRsv != 0) {
            message = decodeExtensions(message);
        }
        if (messageOpcode == Opcode.TEXT) {
            if (!validateAsReceived) {
                utf8.validate(message);
            }
            utf8.finish();
            sink.onText(toString(message));
        } else {
            sink.onBinary(message);
        }
    }

    private ByteBuffer decodeExtensions(ByteBuffer payload) {
        ByteBuffer out = payload;
        // Inbound order is the reverse of the outbound order, which follows negotiation order.
        for (int i = extensions.length - 1; i >= 0; i--) {
            if ((extensions[i].rsvBits() & messageRsv) != 0) {
                out = extensions[i].decodeMessage(messageRsv, out, limits.maxMessageBytes());
                if (out.remaining() > limits.maxMessageBytes()) {
                    throw new WebSocketProtocolException(CloseCodes.MESSAGE_TOO_BIG,
                            "decoded message over " + limits.maxMessageBytes() + " bytes");
                }
            }
        }
        return out;
    }

    private void deliverPart(ByteBuffer chunk, boolean last) {
        if (last) {
            delivered = true;
        }
        if (messageOpcode == Opcode.BINARY) {
            partialSink.onBinaryPart(chunk, last);
            return;
        }
        if (last) {
            utf8.finish();
        }
        // Split on a character boundary: bytes of an unfinished character wait for the next chunk.
        int n = chunk.remaining();
        byte[] joined = new byte[carry.length + n];
        System.arraycopy(carry, 0, joined, 0, carry.length);
        chunk.get(chunk.position(), joined, carry.length, n);
        int split = joined.length;
        if (!utf8.isComplete()) {
            int i = joined.length - 1;
            while (i > 0 && (joined[i] & 0xC0) == 0x80) {
                i--;
            }
            split = i;
        }
        carry = split == joined.length ? new byte[0] : java.util.Arrays.copyOfRange(joined, split, joined.length);
        if (split > 0 || last) {
            partialSink.onTextPart(new String(joined, 0, split, StandardCharsets.UTF_8), last);
        }
    }

    /** {@code payload}: the whole control payload between position and limit; valid only during the call. */
    private void onControl(ByteBuffer payload) {
        switch (frameOpcode) {
            case PING:
                sink.onPing(payload);
                break;
            case PONG:
                sink.onPong(payload);
                break;
            case CLOSE:
                onClose(payload);
                break;
            default:
                throw protocolError("reserved opcode " + frameOpcode.code());
        }
    }

    private void onClose(ByteBuffer control) {
        int length = control.remaining();
        int p = control.position();
        if (length == 0) {
            closeReceived = true;
            sink.onClose(CloseCodes.NO_STATUS_RECEIVED, "");
            return;
        }
        // RFC 6455 5.5.1: a body starts with a 2-byte code
        if (length == 1) {
            throw protocolError("close payload of 1 byte");
        }
        int code = ((control.get(p) & 0xFF) << 8) | (control.get(p + 1) & 0xFF);
        if (!CloseCodes.isValidOnWire(code)) {
            throw protocolError("invalid close code " + code);
        }
        if (length - 2 > MAX_CLOSE_REASON_BYTES) {
            throw protocolError("close reason over 123 bytes");
        }
        ByteBuffer reasonBytes = control.duplicate().position(p + 2);
        if (!Utf8Validator.isValid(reasonBytes)) {
            throw new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD_DATA, "close reason is not UTF-8");
        }
        closeReceived = true;
        sink.onClose(code, toString(reasonBytes));
    }

    private static String toString(ByteBuffer utf8Bytes) {
        if (utf8Bytes.hasArray()) {
            return new String(utf8Bytes.array(), utf8Bytes.arrayOffset() + utf8Bytes.position(),
                    utf8Bytes.remaining(), StandardCharsets.UTF_8);
        }
        byte[] copy = new byte[utf8Bytes.remaining()];
        utf8Bytes.get(utf8Bytes.position(), copy);
        return new String(copy, StandardCharsets.UTF_8);
    }

    private static WebSocketProtocolException protocolError(String reason) {
        return new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, reason);
    }
}
