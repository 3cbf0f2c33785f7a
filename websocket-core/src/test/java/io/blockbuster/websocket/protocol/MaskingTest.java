package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskingTest {
    private static final int GUARD = 5;
    private static final ByteOrder[] ORDERS = {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN};

    @Test
    void fastPathMatchesByteLoopForEveryLengthPhaseAndByteOrder() {
        Random random = new Random(42);
        int[] keys = {0x37fa213d, 0x80818283, 0xFFFFFFFF, 0x00000001, random.nextInt()};
        for (int key : keys) {
            for (int length = 0; length <= 32; length++) {
                for (int phase = 0; phase < 4; phase++) {
                    for (ByteOrder a : ORDERS) {
                        for (ByteOrder b : ORDERS) {
                            for (boolean direct : new boolean[] {false, true}) {
                                check(key, length, phase, a, b, direct, random);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Buffer {@code a} goes through the fast path, {@code b} through the byte loop. */
    private static void check(int key, int length, int phase, ByteOrder orderA, ByteOrder orderB,
                              boolean direct, Random random) {
        byte[] content = new byte[GUARD + length + GUARD];
        random.nextBytes(content);
        content[GUARD] = (byte) 0x80; // negative bytes included on purpose
        ByteBuffer a = (direct ? ByteBuffer.allocateDirect(content.length) : ByteBuffer.allocate(content.length)).order(orderA);
        ByteBuffer b = ByteBuffer.allocate(content.length).order(orderB);
        a.put(content).flip();
        b.put(content).flip();
        int phaseA = Masking.mask(a, GUARD, GUARD + length, key, phase);
        int phaseB = Masking.maskByteByByte(b, GUARD, GUARD + length, key, phase);
        String what = "key=" + Integer.toHexString(key) + " len=" + length + " phase=" + phase + " " + orderA + "/" + orderB;
        assertThat(phaseA).as(what).isEqualTo(phaseB).isEqualTo((phase + length) & 3);
        for (int i = 0; i < content.length; i++) {
            assertThat(a.get(i)).as(what + " index " + i).isEqualTo(b.get(i));
            if (i < GUARD || i >= GUARD + length) {
                assertThat(a.get(i)).as(what + " guard " + i).isEqualTo(content[i]);
            }
        }
        assertThat(a.position()).isZero();
        assertThat(a.limit()).isEqualTo(content.length);
    }

    @Test
    void byteLoopMatchesRfcExample() {
        ByteBuffer buf = ByteBuffer.wrap(Hex.bytes("48656c6c6f"));
        Masking.maskByteByByte(buf, 0, 5, 0x37fa213d, 0);
        assertThat(Hex.of(buf)).isEqualTo("7f9f4d5158");
    }

    @Test
    void maskingInChunksKeepsThePhase() {
        byte[] data = Wire.pattern(53);
        ByteBuffer whole = ByteBuffer.wrap(data.clone());
        Masking.mask(whole, 0, data.length, 0xA1B2C3D4, 0);
        for (int cut1 = 0; cut1 <= data.length; cut1 += 3) {
            for (int cut2 = cut1; cut2 <= data.length; cut2 += 7) {
                ByteBuffer chunked = ByteBuffer.wrap(data.clone());
                int p = Masking.mask(chunked, 0, cut1, 0xA1B2C3D4, 0);
                p = Masking.mask(chunked, cut1, cut2, 0xA1B2C3D4, p);
                Masking.mask(chunked, cut2, data.length, 0xA1B2C3D4, p);
                assertThat(chunked.array()).isEqualTo(whole.array());
            }
        }
    }

    @Test
    void zeroKeyLeavesBytesUnchanged() {
        byte[] data = Wire.pattern(20);
        ByteBuffer buf = ByteBuffer.wrap(data.clone());
        assertThat(Masking.mask(buf, 0, 20, 0, 1)).isEqualTo(1);
        assertThat(buf.array()).isEqualTo(data);
    }

    @Test
    void maskingTwiceRestoresTheInput() {
        byte[] data = Wire.pattern(100);
        ByteBuffer buf = ByteBuffer.wrap(data.clone());
        Masking.mask(buf, 0, 100, 0xDEADBEEF, 2);
        assertThat(buf.array()).isNotEqualTo(data);
        Masking.mask(buf, 0, 100, 0xDEADBEEF, 2);
        assertThat(buf.array()).isEqualTo(data);
    }
}
