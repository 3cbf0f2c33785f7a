package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental UTF-8 validation with a table-driven DFA: state is kept across fragments and the
 * first byte that cannot continue a well-formed sequence fails at once, even mid-fragment.
 * Rejects overlong forms, surrogates (U+D800-U+DFFF) and code points above U+10FFFF; a message
 * that ends inside a sequence fails in {@link #finish()}. Validates only: it never decodes.
 * Not thread safe.
 */
public final class Utf8Validator {
    // Byte classes: each byte value maps to the set of transitions it can make.
    private static final int C_ASCII = 0;      // 00-7F
    private static final int C_CONT_LOW = 1;   // 80-8F
    private static final int C_CONT_MID = 2;   // 90-9F
    private static final int C_CONT_HIGH = 3;  // A0-BF
    private static final int C_LEAD2 = 4;      // C2-DF
    private static final int C_E0 = 5;         // E0: second byte A0-BF (no overlongs)
    private static final int C_LEAD3 = 6;      // E1-EC, EE-EF
    private static final int C_ED = 7;         // ED: second byte 80-9F (no surrogates)
    private static final int C_F0 = 8;         // F0: second byte 90-BF (no overlongs)
    private static final int C_LEAD4 = 9;      // F1-F3
    private static final int C_F4 = 10;        // F4: second byte 80-8F (<= U+10FFFF)
    private static final int C_INVALID = 11;  // C0, C1, F5-FF
    private static final int CLASSES = 12;

    // States: how much of a sequence is still expected, and any restriction on the next byte.
    // Each state is stored premultiplied by CLASSES, so a transition is one add and one load.
    private static final int ACCEPT = 0;
    private static final int REJECT = CLASSES;
    private static final int NEED1 = 2 * CLASSES;
    private static final int NEED2 = 3 * CLASSES;
    private static final int NEED2_AFTER_E0 = 4 * CLASSES;
    private static final int NEED2_AFTER_ED = 5 * CLASSES;
    private static final int NEED3 = 6 * CLASSES;
    private static final int NEED3_AFTER_F0 = 7 * CLASSES;
    private static final int NEED3_AFTER_F4 = 8 * CLASSES;
    private static final int STATES = 9;
    private static final long ASCII_MASK = 0x8080_8080_8080_8080L;

    private static final byte[] CLASS = new byte[256];
    /** TRANSITION[state + class] is the next state (states are premultiplied). */
    private static final byte[] TRANSITION = new byte[STATES * CLASSES];

    static {
        for (int b = 0; b < 256; b++) {
            int c;
            if (b < 0x80) {
                c = C_ASCII;
            } else if (b < 0x90) {
                c = C_CONT_LOW;
            } else if (b < 0xA0) {
                c = C_CONT_MID;
            } else if (b < 0xC0) {
                c = C_CONT_HIGH;
            } else if (b < 0xC2) {
                c = C_INVALID;
            } else if (b < 0xE0) {
                c = C_LEAD2;
            } else if (b == 0xE0) {
                c = C_E0;
            } else if (b == 0xED) {
                c = C_ED;
            } else if (b < 0xF0) {
                c = C_LEAD3;
            } else if (b == 0xF0) {
                c = C_F0;
            } else if (b < 0xF4) {
                c = C_LEAD4;
            } else if (b == 0xF4) {
                c = C_F4;
            } else {
                c = C_INVALID;
            }
            CLASS[b] = (byte) c;
        }
        java.util.Arrays.fill(TRANSITION, (byte) REJECT);
        set(ACCEPT, C_ASCII, ACCEPT);
        set(ACCEPT, C_LEAD2, NEED1);
        set(ACCEPT, C_E0, NEED2_AFTER_E0);
        set(ACCEPT, C_LEAD3, NEED2);
        set(ACCEPT, C_ED, NEED2_AFTER_ED);
        set(ACCEPT, C_F0, NEED3_AFTER_F0);
        set(ACCEPT, C_LEAD4, NEED3);
        set(ACCEPT, C_F4, NEED3_AFTER_F4);
        for (int c : new int[] {C_CONT_LOW, C_CONT_MID, C_CONT_HIGH}) {
            set(NEED1, c, ACCEPT);
            set(NEED2, c, NEED1);
            set(NEED3, c, NEED2);
        }
        set(NEED2_AFTER_E0, C_CONT_HIGH, NEED1);
        set(NEED2_AFTER_ED, C_CONT_LOW, NEED1);
        set(NEED2_AFTER_ED, C_CONT_MID, NEED1);
        set(NEED3_AFTER_F0, C_CONT_MID, NEED2);
        set(NEED3_AFTER_F0, C_CONT_HIGH, NEED2);
        set(NEED3_AFTER_F4, C_CONT_LOW, NEED2);
    }

    private static void set(int state, int byteClass, int next) {
        TRANSITION[state + byteClass] = (byte) next;
    }

    private int state = ACCEPT;

    /** Creates a validator at the start of a message. */
    public Utf8Validator() {
    }

    /**
     * Validates the bytes between position and limit, continuing the current sequence. Does not
     * move the buffer's position.
     *
     * @param chunk the next bytes of the message
     * @throws WebSocketProtocolException 1007 at the first invalid byte; the validator stays failed
     */
    public void validate(ByteBuffer chunk) {
        int s = state;
        int i = chunk.position();
        int end = chunk.limit();
        while (i < end) {
            byte b = chunk.get(i);
            if (b >= 0 && s == ACCEPT) {
                // ASCII between characters: skip eight bytes at a time while they stay ASCII.
                i++;
                while (end - i >= 8 && (chunk.getLong(i) & ASCII_MASK) == 0) {
                    i += 8;
                }
                continue;
            }
            s = TRANSITION[s + CLASS[b & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                throw new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD_DATA, "invalid UTF-8");
            }
            i++;
        }
        state = s;
    }

    /**
     * Checks that the message ended on a character boundary and resets for the next message.
     *
     * @throws WebSocketProtocolException 1007 if the message ended inside a sequence
     */
    public void finish() {
        int s = state;
        if (s != ACCEPT) {
            state = REJECT;
            throw new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD_DATA, "truncated UTF-8");
        }
    }

    /** Returns whether the bytes so far end on a character boundary. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Forgets any partial sequence, for a new message. */
    public void reset() {
        state = ACCEPT;
    }

    /**
     * Validates a whole byte sequence.
     *
     * @param bytes the bytes between position and limit; the position is not moved
     * @return true if they are well-formed UTF-8
     */
    public static boolean isValid(ByteBuffer bytes) {
        int s = ACCEPT;
        for (int i = bytes.position(), end = bytes.limit(); i < end && s != REJECT; i++) {
            s = TRANSITION[s + CLASS[bytes.get(i) & 0xFF]];
        }
        return s == ACCEPT;
    }
}
