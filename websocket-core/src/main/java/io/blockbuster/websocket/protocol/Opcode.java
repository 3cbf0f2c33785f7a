package io.blockbuster.websocket.protocol;

/**
 * The 4-bit frame opcode (RFC 6455 section 5.2), with all 16 values so that decoding the field never
 * fails; reserved values are rejected by an explicit check ({@link #isReserved()}).
 */
public enum Opcode {
    /** Continuation of a fragmented data message. */
    CONTINUATION(0x0),
    /** First (or only) frame of a text message. */
    TEXT(0x1),
    /** First (or only) frame of a binary message. */
    BINARY(0x2),
    /** Reserved non-control opcode 0x3. */
    RESERVED_3(0x3),
    /** Reserved non-control opcode 0x4. */
    RESERVED_4(0x4),
    /** Reserved non-control opcode 0x5. */
    RESERVED_5(0x5),
    /** Reserved non-control opcode 0x6. */
    RESERVED_6(0x6),
    /** Reserved non-control opcode 0x7. */
    RESERVED_7(0x7),
    /** Connection close (control). */
    CLOSE(0x8),
    /** Ping (control). */
    PING(0x9),
    /** Pong (control). */
    PONG(0xA),
    /** Reserved control opcode 0xB. */
    RESERVED_B(0xB),
    /** Reserved control opcode 0xC. */
    RESERVED_C(0xC),
    /** Reserved control opcode 0xD. */
    RESERVED_D(0xD),
    /** Reserved control opcode 0xE. */
    RESERVED_E(0xE),
    /** Reserved control opcode 0xF. */
    RESERVED_F(0xF);

    private static final Opcode[] BY_CODE = values();

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** Returns the 4-bit wire value. */
    public int code() {
        return code;
    }

    /** Returns true for opcodes 0x8-0xF (close, ping, pong and the reserved control range). */
    public boolean isControl() {
        return code >= 0x8;
    }

    /** Returns true for the opcodes RFC 6455 reserves for future use (0x3-0x7, 0xB-0xF). */
    public boolean isReserved() {
        return (code >= 0x3 && code <= 0x7) || code >= 0xB;
    }

    /**
     * Returns the opcode for the low four bits of {@code fourBits}; never throws.
     *
     * @param fourBits the opcode field; bits above the low four are ignored
     * @return the opcode, possibly a reserved one
     */
    public static Opcode of(int fourBits) {
        return BY_CODE[fourBits & 0x0F];
    }
}
