package io.blockbuster.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * One server-to-client text message, serialized once as UTF-8 JSON and shared by every session that
 * sends it: a published data message is one instance however many subscribers it reaches. Immutable
 * apart from a single cache slot in which a transport keeps its framed form ({@link #prepared}), so
 * that the message is also framed only once.
 */
public final class OutboundMessage {
    private final byte[] utf8;
    private final long seq;
    private volatile Object prepared;

    private OutboundMessage(byte[] utf8, long seq) {
        this.utf8 = utf8;
        this.seq = seq;
    }

    /** A message of {@code json} text. */
    public static OutboundMessage ofText(String json) {
        return new OutboundMessage(json.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** A message of UTF-8 JSON; the array is taken over, the caller must not modify it afterwards. */
    public static OutboundMessage ofUtf8(byte[] utf8) {
        return new OutboundMessage(utf8, 0);
    }

    /**
     * A stream's data message number {@code seq} (at least 1), of UTF-8 JSON; the array is taken over,
     * as by {@link #ofUtf8}.
     */
    public static OutboundMessage ofData(byte[] utf8, long seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("seq < 1: " + seq);
        }
        return new OutboundMessage(utf8, seq);
    }

    /**
     * The stream's sequence number of a data message ({@link #ofData}), 0 for any other message. The hub
     * reads it to tell a subscriber which seqs it was not sent.
     */
    public long seq() {
        return seq;
    }

    /** The UTF-8 text as a new read-only buffer over the shared bytes (position 0, limit length). */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(utf8).asReadOnlyBuffer();
    }

    /** Payload length in bytes. */
    public int length() {
        return utf8.length;
    }

    /** The payload decoded to a {@code String} (allocates; meant for tests and text-only transports). */
    public String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * The transport's prepared (framed) form of this message, computed by {@code preparer} on first use
     * and cached: every later call with the same {@code type} returns the same object. If the slot holds
     * an object of another type (two transports on one hub), the value is computed and not cached.
     * Thread safe; {@code preparer} runs at most once per message for the cached type.
     */
    public <T> T prepared(Class<T> type, Function<? super OutboundMessage, ? extends T> preparer) {
        Object cached = prepared;
        if (type.isInstance(cached)) {
            return type.cast(cached);
        }
        synchronized (this) {
            cached = prepared;
            if (type.isInstance(cached)) {
                return type.cast(cached);
            }
            T value = Objects.requireNonNull(preparer.apply(this), "preparer returned null");
            if (cached == null) {
                prepared = value;
            }
            return value;
        }
    }

    @Override
    public String toString() {
        return text();
    }
}
