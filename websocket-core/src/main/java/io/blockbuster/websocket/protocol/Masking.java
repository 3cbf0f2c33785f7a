package io.blockbuster.websocket.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * XOR masking of frame payloads (RFC 6455 section 5.3), in place, eight bytes at a time.
 *
 * <p>The key is the 32-bit value read big-endian from the frame header: key byte {@code i} is
 * {@code key >>> (24 - 8 * i)}. The phase is the index into the key of the range's first byte,
 * so a payload masked in several chunks continues where the previous chunk stopped. Only absolute
 * indices are used: the buffer's position, limit and byte order are the same after the call.
 * Stateless and thread safe.
 *
 * <p>XOR works byte by byte, so the buffer's byte order does not matter to the result, and the
 * wide loop reads and writes its 8-byte words in the CPU's native order whatever the buffer says:
 * that needs no byte swap per word and lets the JIT vectorize the loop, where
 * {@code ByteBuffer.getLong} on a default (big-endian) buffer on x86 or ARM swaps every word and
 * runs several times slower. Heap buffers are masked through their backing array; writable direct
 * buffers through {@code getLong/putLong} with the order switched to native for the duration of
 * the call; anything else (read-only buffers) through its own {@code getLong/putLong}, which throws
 * {@link java.nio.ReadOnlyBufferException} for a non-empty range.
 */
public final class Masking {
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** 8-byte words of a {@code byte[]} at any (unaligned) index, in native order. */
    private static final VarHandle ARRAY_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, NATIVE);

    private Masking() {
    }

    /**
     * Masks (or unmasks: the operation is its own inverse) {@code buf[from, to)} in place.
     *
     * @param buf a writable buffer, any byte order
     * @param from first index, inclusive
     * @param to last index, exclusive; at most the buffer's limit
     * @param key the 32-bit mask key, big-endian as on the wire
     * @param phase key index (0-3) of the byte at {@code from}
     * @return the phase of the byte after {@code to}, to pass with the next chunk
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= buf.limit()}
     * @throws java.nio.ReadOnlyBufferException if the buffer is read-only, the key is not zero and
     *     the range is not empty
     */
    public static int mask(ByteBuffer buf, int from, int to, int key, int phase) {
        // Checked once up front: the array path below would otherwise write past a slice's end.
        Objects.checkFromToIndex(from, to, buf.limit());
        if (key != 0 && from < to) {
            // The key rotated so that the byte for index `from` comes first (in the top 8 bits).
            int rotated = Integer.rotateLeft(key, 8 * (phase & 3));
            if (buf.hasArray()) {
                int offset = buf.arrayOffset();
                maskArray(buf.array(), offset + from, offset + to, rotated);
            } else if (buf.isDirect() && !buf.isReadOnly()) {
                maskDirect(buf, from, to, rotated);
            } else {
                maskWords(buf, from, to, rotated);
            }
        }
        return (phase + (to - from)) & 3;
    }

    private static void maskArray(byte[] a, int from, int to, int rotated) {
        long wide = widen(rotated, NATIVE);
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            ARRAY_LONGS.set(a, i, (long) ARRAY_LONGS.get(a, i) ^ wide);
        }
        // Eight bytes are two whole key periods, so the tail starts with the same key byte.
        for (int k = rotated; i < to; i++, k = Integer.rotateLeft(k, 8)) {
            a[i] ^= (byte) (k >>> 24);
        }
    }

    private static void maskDirect(ByteBuffer buf, int from, int to, int rotated) {
        ByteOrder order = buf.order();
        if (order == NATIVE) {
            maskWords(buf, from, to, rotated);
            return;
        }
        // No callback runs meanwhile and the range is checked, so nobody sees the switched order.
        buf.order(NATIVE);
        try {
            maskWords(buf, from, to, rotated);
        } finally {
            buf.order(order);
        }
    }

    private static void maskWords(ByteBuffer buf, int from, int to, int rotated) {
        long wide = widen(rotated, buf.order());
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            buf.putLong(i, buf.getLong(i) ^ wide);
        }
        for (int k = rotated; i < to; i++, k = Integer.rotateLeft(k, 8)) {
            buf.put(i, (byte) (buf.get(i) ^ (k >>> 24)));
        }
    }

    /** The rotated key twice over, as a long that {@code order} lays out first byte first. */
    private static long widen(int rotated, ByteOrder order) {
        long wide = ((long) rotated << 32) | (rotated & 0xFFFF_FFFFL);
        return order == ByteOrder.BIG_ENDIAN ? wide : Long.reverseBytes(wide);
    }

    /**
     * The byte-at-a-time reference for {@link #mask}: same contract, kept for tests.
     *
     * @param buf a writable buffer
     * @param from first index, inclusive
     * @param to last index, exclusive
     * @param key the mask key
     * @param phase key index of the byte at {@code from}
     * @return the phase after {@code to}
     */
    static int maskByteByByte(ByteBuffer buf, int from, int to, int key, int phase) {
        for (int i = from; i < to; i++) {
            buf.put(i, (byte) (buf.get(i) ^ (key >>> (24 - 8 * ((phase + i - from) & 3)))));
        }
        return (phase + (to - from)) & 3;
    }
}
