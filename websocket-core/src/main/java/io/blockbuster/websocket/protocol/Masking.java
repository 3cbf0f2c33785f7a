package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XOR masking of frame payloads (RFC 6455 section 5.3), in place, eight bytes at a time.
 *
 * <p>The key is the 32-bit value read big-endian from the frame header: key byte {@code i} is
 * {@code key >>> (24 - 8 * i)}. The phase is the index into the key of the range's first byte,
 * so a payload masked in several chunks continues where the previous chunk stopped. Only absolute
 * indices are used: the buffer's position and limit are never changed. Stateless and thread safe.
 */
public final class Masking {
    private Masking() {
    }

    /**
     * Masks (or unmasks: the operation is its own inverse) {@code buf[from, to)} in place.
     *
     * @param buf a writable buffer, any byte order
     * @param from first index, inclusive
     * @param to last index, exclusive
     * @param key the 32-bit mask key, big-endian as on the wire
     * @param phase key index (0-3) of the byte at {@code from}
     * @return the phase of the byte after {@code to}, to pass with the next chunk
     */
    public static int mask(ByteBuffer buf, int from, int to, int key, int phase) {
        int i = from;
        if (key != 0) {
            // Rotate so that the key byte for index `from` comes first, then widen to 8 bytes in
            // the buffer's own byte order: getLong/putLong then XOR each byte with the right key byte.
            int rotated = Integer.rotateLeft(key, 8 * (phase & 3));
            long wide = ((long) rotated << 32) | (rotated & 0xFFFF_FFFFL);
            if (buf.order() == ByteOrder.LITTLE_ENDIAN) {
                wide = Long.reverseBytes(wide);
            }
            for (int end = to - 7; i < end; i += 8) {
                buf.putLong(i, buf.getLong(i) ^ wide);
            }
            // Eight bytes are two whole key periods, so the phase is unchanged here.
            for (int p = phase & 3; i < to; i++, p = (p + 1) & 3) {
                buf.put(i, (byte) (buf.get(i) ^ (key >>> (24 - 8 * p))));
            }
        }
        return (phase + (to - from)) & 3;
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
