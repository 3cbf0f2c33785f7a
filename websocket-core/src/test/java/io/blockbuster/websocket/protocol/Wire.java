package io.blockbuster.websocket.protocol;

import java.io.ByteArrayOutputStream;

/**
 * An independent, deliberately naive frame writer for building test inputs (byte loops, no
 * production code), so decoder tests do not trust the encoder under test.
 */
final class Wire {
    private Wire() {
    }

    /** A frame; {@code maskKey} null for unmasked. Lengths use the minimal encoding. */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, Integer maskKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = maskKey == null ? 0 : 0x80;
        int n = payload.length;
        if (n < 126) {
            out.write(maskBit | n);
        } else if (n <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) n >>> shift));
            }
        }
        if (maskKey == null) {
            out.write(payload, 0, n);
        } else {
            int k = maskKey;
            byte[] key = {(byte) (k >>> 24), (byte) (k >>> 16), (byte) (k >>> 8), (byte) k};
            for (byte b : key) {
                out.write(b);
            }
            for (int i = 0; i < n; i++) {
                out.write(payload[i] ^ key[i % 4]);
            }
        }
        return out.toByteArray();
    }

    /** A frame as the given role would send it (client frames masked with a fixed key). */
    static byte[] from(Role sender, boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, payload, sender == Role.CLIENT ? 0x37fa213d : null);
    }

    static Role peer(Role local) {
        return local == Role.CLIENT ? Role.SERVER : Role.CLIENT;
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }
}
