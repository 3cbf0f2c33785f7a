package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.Utf8Validator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A text or binary message framed once and written to many connections (a broadcast). Immutable
 * and thread safe.
 *
 * <p>The payload is copied once, when the message is created (text given as a {@code String} is
 * encoded then; {@link #textUtf8} takes text already encoded). The unmasked server frame is
 * encoded once, on first use, into a read-only buffer that every server connection writes
 * from (a connection that has to queue it takes a {@link ByteBuffer#duplicate() duplicate}), so
 * sending to N connections costs no encoding and no copying per connection.
 *
 * <p>Connections whose negotiated extensions transform each message on its own (for example
 * permessage-deflate with {@code server_no_context_takeover}) share one transformed frame per
 * distinct extension configuration, cached in this message. Connections whose extensions keep
 * state between messages, and client connections (clients must mask every frame with a fresh
 * key), encode the payload for themselves.
 */
public final class PreparedMessage {

    private final Opcode opcode;
    private final ByteBuffer payload;
    private volatile ByteBuffer frame;
    private volatile Map<Object, ByteBuffer> variants;

    private PreparedMessage(Opcode opcode, ByteBuffer payload) {
        this.opcode = opcode;
        this.payload = payload.asReadOnlyBuffer();
    }

    /** Prepares a text message. */
    public static PreparedMessage text(CharSequence text) {
        return new PreparedMessage(Opcode.TEXT, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Prepares a text message from text the caller has already encoded: {@code utf8}'s remaining
     * bytes (copied; {@code utf8} is not changed), sent as they are, with no decoding to a
     * {@code String} and no re-encoding. For hosts that serialize straight to UTF-8 (JSON writers).
     *
     * <p>The caller vouches that the bytes are UTF-8; they are still checked once, here, with the
     * protocol's validator (one table lookup per byte, far cheaper than decoding), because a peer
     * must fail a connection that sends it invalid UTF-8 in a text frame (RFC 6455 8.1, close 1007).
     *
     * @throws IllegalArgumentException when the bytes are not well-formed UTF-8
     */
    public static PreparedMessage textUtf8(ByteBuffer utf8) {
        if (!Utf8Validator.isValid(utf8)) {
            throw new IllegalArgumentException("text is not valid UTF-8");
        }
        return new PreparedMessage(Opcode.TEXT, copyOf(utf8));
    }

    /** Prepares a binary message from {@code data}'s remaining bytes (copied; {@code data} is not changed). */
    public static PreparedMessage binary(ByteBuffer data) {
        return new PreparedMessage(Opcode.BINARY, copyOf(data));
    }

    private static ByteBuffer copyOf(ByteBuffer data) {
        return ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
    }

    /** True for a text message. */
    public boolean isText() {
        return opcode == Opcode.TEXT;
    }

    /** The payload, read-only; a new view on each call. */
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    /** Payload length in bytes. */
    public int payloadLength() {
        return payload.remaining();
    }

    /** {@link Opcode#TEXT} or {@link Opcode#BINARY}; the host needs only {@link #isText()}. */
    Opcode opcode() {
        return opcode;
    }

    /** The shared unmasked server frame, read-only, encoded on first use. */
    ByteBuffer sharedFrame() {
        ByteBuffer f = frame;
        if (f == null) {
            synchronized (this) {
                f = frame;
                if (f == null) {
                    f = FrameEncoder.encodeShared(0, opcode, payload.duplicate()).asReadOnlyBuffer();
                    frame = f;
                }
            }
        }
        return f;
    }

    /**
     * A duplicate of a frame transformed for one extension configuration, encoded on first use by
     * {@code encoder} and kept in this message under {@code key}.
     */
    ByteBuffer variant(Object key, Function<PreparedMessage, ByteBuffer> encoder) {
        return variants().computeIfAbsent(key, k -> encoder.apply(this).asReadOnlyBuffer()).duplicate();
    }

    private Map<Object, ByteBuffer> variants() {
        Map<Object, ByteBuffer> m = variants;
        if (m == null) {
            synchronized (this) {
                m = variants;
                if (m == null) {
                    m = new ConcurrentHashMap<>(4);
                    variants = m;
                }
            }
        }
        return m;
    }
}
