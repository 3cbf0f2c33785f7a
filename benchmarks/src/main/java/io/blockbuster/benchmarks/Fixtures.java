package io.blockbuster.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Inputs shared by the codec benchmarks: payloads of an exact byte size and wire frames built by a
 * deliberately naive reference encoder, so the fixtures do not depend on the code under test.
 */
public final class Fixtures {

    /** The fixed mask key of every client frame in the benchmarks (not zero: a zero key is a no-op). */
    static final int MASK_KEY = 0x37fa213d;

    private Fixtures() {
    }

    /** What a payload contains. */
    public enum Content {
        /** Pseudo-random bytes (seeded), the body of a binary frame. */
        BINARY,
        /** Printable ASCII, valid UTF-8 of one byte per code point. */
        ASCII,
        /** Valid UTF-8 mixing 2-, 3- and 4-byte sequences ("é€😀" repeated), padded with ASCII. */
        MULTIBYTE
    }

    /** Where the bytes live. */
    public enum Memory { HEAP, DIRECT }

    static byte[] payload(Content content, int size) {
        byte[] bytes = new byte[size];
        switch (content) {
            case BINARY -> new Random(42).nextBytes(bytes);
            case ASCII -> {
                for (int i = 0; i < size; i++) {
                    bytes[i] = (byte) ('a' + i % 26);
                }
            }
            case MULTIBYTE -> {
                byte[] unit = "é€😀".getBytes(StandardCharsets.UTF_8); // 2 + 3 + 4 bytes
                int i = 0;
                while (i + unit.length <= size) {
                    System.arraycopy(unit, 0, bytes, i, unit.length);
                    i += unit.length;
                }
                while (i < size) {
                    bytes[i++] = 'x';
                }
            }
        }
        return bytes;
    }

    static String text(Content content, int size) {
        return new String(payload(content, size), StandardCharsets.UTF_8);
    }

    /** A single final frame as a client sends it: masked with {@link #MASK_KEY}. */
    static byte[] maskedFrame(int opcode, byte[] payload) {
        return frame(opcode, payload, true);
    }

    /** A single final frame as a server sends it: unmasked. */
    static byte[] unmaskedFrame(int opcode, byte[] payload) {
        return frame(opcode, payload, false);
    }

    private static byte[] frame(int opcode, byte[] payload, boolean masked) {
        int n = payload.length;
        int lengthBytes = n <= 125 ? 0 : n <= 0xFFFF ? 2 : 8;
        ByteBuffer out = ByteBuffer.allocate(2 + lengthBytes + (masked ? 4 : 0) + n);
        out.put((byte) (0x80 | opcode));
        int maskBit = masked ? 0x80 : 0;
        if (lengthBytes == 0) {
            out.put((byte) (maskBit | n));
        } else if (lengthBytes == 2) {
            out.put((byte) (maskBit | 126)).putShort((short) n);
        } else {
            out.put((byte) (maskBit | 127)).putLong(n);
        }
        byte[] key = {(byte) (MASK_KEY >>> 24), (byte) (MASK_KEY >>> 16), (byte) (MASK_KEY >>> 8), (byte) MASK_KEY};
        if (masked) {
            out.put(key);
        }
        for (int i = 0; i < n; i++) {
            out.put(masked ? (byte) (payload[i] ^ key[i & 3]) : payload[i]);
        }
        return out.array();
    }

    /** A buffer of the given kind holding exactly {@code bytes}, position 0, limit = length. */
    static ByteBuffer buffer(Memory memory, byte[] bytes) {
        ByteBuffer b = memory == Memory.HEAP ? ByteBuffer.allocate(bytes.length) : ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return b;
    }

    static ByteBuffer allocate(Memory memory, int capacity) {
        return memory == Memory.HEAP ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
    }

    /** A typical browser upgrade request (Chrome-like header set, about 500 bytes). */
    static final String UPGRADE_REQUEST = "GET /stream?token=abc123 HTTP/1.1\r\n"
            + "Host: localhost:8080\r\n"
            + "Connection: Upgrade\r\n"
            + "Pragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n"
            + "Upgrade: websocket\r\n"
            + "Origin: http://localhost:8080\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "\r\n";
}
