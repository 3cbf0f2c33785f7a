package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/** The one hex helper of this module's tests: wire vectors as hex strings (spaces allowed), both ways. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    public static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    public static byte[] bytes(String hex) {
        String h = hex.replace(" ", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** The bytes between position and limit; the buffer is not changed. */
    public static String of(ByteBuffer buf) {
        char[] out = new char[2 * buf.remaining()];
        for (int i = buf.position(), o = 0; i < buf.limit(); i++) {
            out[o++] = DIGITS[(buf.get(i) >> 4) & 0xF];
            out[o++] = DIGITS[buf.get(i) & 0xF];
        }
        return new String(out);
    }

    public static String of(byte[] b) {
        return of(ByteBuffer.wrap(b));
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
