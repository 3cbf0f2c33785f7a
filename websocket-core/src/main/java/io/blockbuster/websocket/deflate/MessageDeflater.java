package io.blockbuster.websocket.deflate;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * The outbound half of permessage-deflate for one connection (RFC 7692 section 7.2.1): compresses
 * one whole message with {@link Deflater#SYNC_FLUSH} into raw DEFLATE ({@code nowrap}) and strips
 * the {@code 00 00 ff ff} the flush ends with.
 *
 * <p>With context takeover the connection owns one {@link Deflater}, created on the first message
 * that is compressed. Without it, a pooled Deflater is borrowed for the duration of one message.
 *
 * <p>java.util.zip always compresses with a 32 KiB window. When the peer allows less
 * ({@code windowBits < 15}) a message is compressed only if it is at most 2^windowBits bytes long,
 * each with a freshly reset Deflater: every back-reference then points inside the message itself,
 * so no distance exceeds what the peer's window holds. Longer messages go out uncompressed.
 *
 * <p>Not thread safe: the caller serializes calls, in the order the messages go on the wire.
 */
final class MessageDeflater {
    private static final int TAIL_BYTES = 4;
    private static final byte[] NO_INPUT = new byte[0];

    private final CodecPool<Deflater> pool;
    private final boolean contextTakeover;
    private final int minBytes;
    private final int maxBytes;
    private final int level;
    private Deflater deflater;
    private boolean closed;

    /**
     * @param pool where to borrow Deflaters without context takeover
     * @param contextTakeover whether the window carries over from message to message
     * @param windowBits the largest window the peer accepts, 8 to 15
     * @param minBytes messages shorter than this go out uncompressed
     * @param level the compression level for Deflaters this instance creates
     */
    MessageDeflater(CodecPool<Deflater> pool, boolean contextTakeover, int windowBits, int minBytes, int level) {
        this.pool = pool;
        this.contextTakeover = contextTakeover && windowBits == DeflateParameters.MAX_WINDOW_BITS;
        this.maxBytes = windowBits == DeflateParameters.MAX_WINDOW_BITS ? Integer.MAX_VALUE : 1 << windowBits;
        this.minBytes = minBytes;
        this.level = level;
    }

    /**
     * Compresses {@code payload} (from position to limit; the buffer itself is left untouched).
     *
     * @return the compressed bytes without the tail, or null to send the message uncompressed
     *     (too short, too long for the peer's window, or not smaller once compressed)
     */
    ByteBuffer deflate(ByteBuffer payload) {
        if (closed) {
            throw new IllegalStateException("permessage-deflate is closed");
        }
        int length = payload.remaining();
        if (length < minBytes || length > maxBytes) {
            return null;
        }
        Deflater d = contextTakeover ? connectionDeflater() : pool.take();
        boolean keep = false;
        try {
            ByteBuffer out = deflate(d, payload.duplicate(), length - 1);
            keep = out != null;
            return out;
        } finally {
            d.setInput(NO_INPUT);
            if (!contextTakeover) {
                d.reset();
                pool.give(d);
            } else if (!keep) {
                // The Deflater has taken in bytes the peer will never see: start a fresh window.
                // The peer may keep its own window; we just never refer back into it.
                d.reset();
            }
        }
    }

    /**
     * Runs one SYNC_FLUSH over all of {@code input}; returns the compressed bytes minus the tail
     * (a heap buffer of its own), or null if they would be longer than {@code maxBytes}.
     */
    static ByteBuffer deflate(Deflater d, ByteBuffer input, int maxBytes) {
        int length = input.remaining();
        d.setInput(input);
        // Never grow past what is worth sending.
        int cap = (int) Math.min(Integer.MAX_VALUE - 16, (long) Math.max(0, maxBytes) + TAIL_BYTES);
        byte[] out = new byte[Math.min(cap, Math.max(64, length / 2))];
        int n = 0;
        for (;;) {
            n += d.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            if (n < out.length) {
                break; // flush complete: space was left over
            }
            if (out.length == cap) {
                return null;
            }
            out = Arrays.copyOf(out, (int) Math.min(cap, 2L * out.length));
        }
        // RFC 7692 7.2.1: remove the 00 00 ff ff the sync flush ends with
        if (n < TAIL_BYTES || out[n - 4] != 0 || out[n - 3] != 0 || out[n - 2] != -1 || out[n - 1] != -1) {
            return null; // cannot happen with zlib; sending the message plain is always correct
        }
        n -= TAIL_BYTES;
        return n > maxBytes ? null : ByteBuffer.wrap(out, 0, n);
    }

    private Deflater connectionDeflater() {
        Deflater d = deflater;
        if (d == null) {
            d = new Deflater(level, true);
            deflater = d;
        }
        return d;
    }

    /** Whether messages of {@code length} bytes from a fresh Deflater respect the peer's window. */
    boolean fitsWindow(int length) {
        return length <= maxBytes;
    }

    boolean usesContextTakeover() {
        return contextTakeover;
    }

    int minBytes() {
        return minBytes;
    }

    boolean hasNativeState() {
        return deflater != null;
    }

    /** The connection's own Deflater, or null (for tests). */
    Deflater connectionDeflaterOrNull() {
        return deflater;
    }

    /** Ends the connection's Deflater, if any; idempotent. */
    void close() {
        closed = true;
        Deflater d = deflater;
        deflater = null;
        if (d != null) {
            d.end();
        }
    }

    boolean isClosed() {
        return closed;
    }
}
