package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskingTest {
    private static final int GUARD = 5;
    private static final ByteOrder[] ORDERS = {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN};
    private static final int[] KEYS = {0x37fa213d, 0x80818283, 0xFFFFFFFF, 0x00000001};
    private static final int[] LARGE_LENGTHS = {125, 126, 1023, 1024, 1031, 4099, 65536, 65539};

    /** How the buffer under test is made: heap or direct, whole or a slice of a bigger buffer. */
    private enum Kind { HEAP, HEAP_SLICE, DIRECT, DIRECT_SLICE }

    @Test
    void fastPathMatchesByteLoopForEveryLengthPhaseOffsetOrderAndKind() {
        Random random = new Random(42);
        for (int length = 0; length <= 80; length++) {
            for (int key : KEYS) {
                checkAllStarts(key, length, random);
            }
        }
    }

    @Test
    void fastPathMatchesByteLoopForLargeLengths() {
        Random random = new Random(7);
        for (int length : LARGE_LENGTHS) {
            checkAllStarts(random.nextInt() | 1, length, random);
        }
    }

    /** Every phase, order and kind, at every start offset 0-8 (all alignments of the 8-byte words). */
    private static void checkAllStarts(int key, int length, Random random) {
        for (int phase = 0; phase < 4; phase++) {
            for (ByteOrder order : ORDERS) {
                for (Kind kind : Kind.values()) {
                    for (int offset = 0; offset <= 8; offset++) {
                        check(key, length, phase, order, kind, offset, random);
                    }
                }
            }
        }
    }

    /**
     * Masks {@code length} bytes of a buffer of the given kind and order, starting {@code GUARD +
     * offset} bytes into the backing memory: at index {@code GUARD + offset} of a whole buffer, at
     * index {@code GUARD} of a slice that starts {@code offset} bytes into its parent (so its array
     * offset or address is not the parent's). Compares every byte of the parent, guards included,
     * with the byte loop run on a plain copy.
     */
    private static void check(int key, int length, int phase, ByteOrder order, Kind kind, int offset, Random random) {
        int sliceBytes = GUARD + offset + length + GUARD;
        byte[] content = new byte[offset + sliceBytes + GUARD];
        random.nextBytes(content);
        if (length > 0) {
            content[offset + GUARD + offset] = (byte) 0x80; // negative bytes included on purpose
        }
        boolean direct = kind == Kind.DIRECT || kind == Kind.DIRECT_SLICE;
        ByteBuffer parent = direct ? ByteBuffer.allocateDirect(content.length) : ByteBuffer.allocate(content.length);
        parent.put(content).clear();
        ByteBuffer buf;
        int base; // index in `content` of the buffer's index 0
        if (kind == Kind.HEAP_SLICE || kind == Kind.DIRECT_SLICE) {
            buf = parent.position(offset).limit(offset + sliceBytes).slice();
            base = offset;
            if (!direct) {
                assertThat(buf.arrayOffset()).isEqualTo(offset);
            }
        } else {
            buf = parent;
            base = 0;
        }
        buf.order(order).position(1).limit(buf.limit() - 1);
        int from = base == 0 ? GUARD + offset : GUARD;
        int to = from + length;

        byte[] expected = content.clone();
        Masking.maskByteByByte(ByteBuffer.wrap(expected, base, buf.capacity()).slice(), from, to, key, phase);
        int next = Masking.mask(buf, from, to, key, phase);

        String what = kind + " " + order + " key=" + Integer.toHexString(key) + " len=" + length
                + " phase=" + phase + " offset=" + offset;
        assertThat(next).as(what).isEqualTo((phase + length) & 3);
        byte[] actual = new byte[content.length];
        parent.duplicate().clear().get(actual);
        for (int i = 0; i < content.length; i++) {
            if (actual[i] != expected[i]) {
                fail(what + ": index " + (i - base) + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
        assertThat(buf.order()).as(what).isEqualTo(order);
        assertThat(buf.position()).as(what).isEqualTo(1);
        assertThat(buf.limit()).as(what).isEqualTo(buf.capacity() - 1);
    }

    @Test
    void rangeBeyondTheLimitIsRejectedBeforeAnyByteChanges() {
        byte[] data = Wire.pattern(40);
        ByteBuffer parent = ByteBuffer.wrap(data.clone());
        ByteBuffer slice = parent.position(8).limit(24).slice();
        assertThatThrownBy(() -> Masking.mask(slice, 0, 17, 0x11223344, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Masking.mask(slice, 9, 8, 0x11223344, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Masking.mask(slice, -1, 8, 0x11223344, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(parent.array()).isEqualTo(data);
    }

    @Test
    void readOnlyBufferIsRefusedUnlessThereIsNothingToDo() {
        for (ByteBuffer writable : new ByteBuffer[] {ByteBuffer.allocate(32), ByteBuffer.allocateDirect(32)}) {
            ByteBuffer readOnly = writable.asReadOnlyBuffer();
            assertThatThrownBy(() -> Masking.mask(readOnly, 0, 32, 0x11223344, 0))
                    .isInstanceOf(ReadOnlyBufferException.class);
            assertThatThrownBy(() -> Masking.mask(readOnly, 3, 4, 0x11223344, 0))
                    .isInstanceOf(ReadOnlyBufferException.class);
            // A zero key or an empty range writes nothing, so it succeeds as before.
            assertThat(Masking.mask(readOnly, 0, 32, 0, 1)).isEqualTo(1);
            assertThat(Masking.mask(readOnly, 5, 5, 0x11223344, 2)).isEqualTo(2);
        }
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
        Masking.maskByteByByte(whole, 0, data.length, 0xA1B2C3D4, 0);
        byte[] expected = whole.array();
        for (boolean direct : new boolean[] {false, true}) {
            for (int cut1 = 0; cut1 <= data.length; cut1 += 3) {
                for (int cut2 = cut1; cut2 <= data.length; cut2 += 7) {
                    ByteBuffer chunked = (direct ? ByteBuffer.allocateDirect(data.length) : ByteBuffer.allocate(data.length));
                    chunked.put(data).clear();
                    int p = Masking.mask(chunked, 0, cut1, 0xA1B2C3D4, 0);
                    p = Masking.mask(chunked, cut1, cut2, 0xA1B2C3D4, p);
                    Masking.mask(chunked, cut2, data.length, 0xA1B2C3D4, p);
                    byte[] actual = new byte[data.length];
                    chunked.get(actual);
                    assertThat(actual).as("direct=%s cuts %d %d", direct, cut1, cut2).isEqualTo(expected);
                }
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
