package io.blockbuster.websocket.deflate;

import java.nio.ByteBuffer;

/**
 * Walks a raw DEFLATE stream (RFC 1951) and reports the longest back-reference distance in it,
 * which is the window a receiver needs. Test-only and slow; output bytes are counted, not kept.
 */
final class MaxDistance {
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
        3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
        7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private final byte[] in;
    private int bitPos;
    private long produced;
    private int max;

    private MaxDistance(byte[] in) {
        this.in = in;
    }

    /** Returns the longest distance used by the stream (plus its 00 00 ff ff tail), 0 if none. */
    static int of(ByteBuffer compressed) {
        ByteBuffer d = compressed.duplicate();
        byte[] b = new byte[d.remaining() + 4];
        d.get(b, 0, d.remaining());
        b[b.length - 2] = (byte) 0xff;
        b[b.length - 1] = (byte) 0xff;
        MaxDistance m = new MaxDistance(b);
        m.run();
        return m.max;
    }

    private void run() {
        while (bitPos + 3 <= in.length * 8) {
            boolean last = bits(1) == 1;
            int type = bits(2);
            if (type == 0) {
                bitPos = (bitPos + 7) & ~7;
                int len = bits(16);
                bits(16);
                bitPos += len * 8;
                produced += len;
                if (bitPos >= in.length * 8) {
                    return; // the tail's empty stored block ends the message
                }
            } else if (type == 1) {
                int[] lit = new int[288];
                for (int i = 0; i < 288; i++) {
                    lit[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
                }
                int[] dist = new int[30];
                java.util.Arrays.fill(dist, 5);
                codes(new Huffman(lit), new Huffman(dist));
            } else if (type == 2) {
                int hlit = bits(5) + 257;
                int hdist = bits(5) + 1;
                int hclen = bits(4) + 4;
                int[] cl = new int[19];
                for (int i = 0; i < hclen; i++) {
                    cl[CODE_LENGTH_ORDER[i]] = bits(3);
                }
                Huffman clh = new Huffman(cl);
                int[] lengths = new int[hlit + hdist];
                for (int i = 0; i < lengths.length; ) {
                    int sym = clh.decode(this);
                    if (sym < 16) {
                        lengths[i++] = sym;
                    } else {
                        int prev = sym == 16 ? lengths[i - 1] : 0;
                        int n = sym == 16 ? 3 + bits(2) : sym == 17 ? 3 + bits(3) : 11 + bits(7);
                        for (int k = 0; k < n; k++) {
                            lengths[i++] = prev;
                        }
                    }
                }
                codes(new Huffman(java.util.Arrays.copyOf(lengths, hlit)),
                        new Huffman(java.util.Arrays.copyOfRange(lengths, hlit, lengths.length)));
            } else {
                throw new IllegalStateException("reserved block type");
            }
            if (last) {
                return;
            }
        }
    }

    private void codes(Huffman lit, Huffman dist) {
        for (;;) {
            int sym = lit.decode(this);
            if (sym < 256) {
                produced++;
            } else if (sym == 256) {
                return;
            } else {
                int i = sym - 257;
                int len = LENGTH_BASE[i] + bits(LENGTH_EXTRA[i]);
                int d = dist.decode(this);
                int distance = DIST_BASE[d] + bits(DIST_EXTRA[d]);
                if (distance > produced) {
                    throw new IllegalStateException("distance before the start of the stream");
                }
                max = Math.max(max, distance);
                produced += len;
            }
        }
    }

    int bits(int n) {
        int v = 0;
        for (int i = 0; i < n; i++, bitPos++) {
            v |= ((in[bitPos >>> 3] >>> (bitPos & 7)) & 1) << i;
        }
        return v;
    }

    /** Canonical Huffman decoding, one bit at a time (RFC 1951 3.2.2). */
    private static final class Huffman {
        private final int[] counts = new int[16];
        private final int[] symbols;

        Huffman(int[] lengths) {
            symbols = new int[lengths.length];
            for (int l : lengths) {
                counts[l]++;
            }
            counts[0] = 0;
            int[] offs = new int[16];
            for (int i = 1; i < 16; i++) {
                offs[i] = offs[i - 1] + counts[i - 1];
            }
            for (int s = 0; s < lengths.length; s++) {
                if (lengths[s] != 0) {
                    symbols[offs[lengths[s]]++] = s;
                }
            }
        }

        int decode(MaxDistance r) {
            int code = 0;
            int first = 0;
            int index = 0;
            for (int len = 1; len < 16; len++) {
                code |= r.bits(1);
                int count = counts[len];
                if (code - count < first) {
                    return symbols[index + (code - first)];
                }
                index += count;
                first += count;
                first <<= 1;
                code <<= 1;
            }
            throw new IllegalStateException("bad code");
        }
    }
}
