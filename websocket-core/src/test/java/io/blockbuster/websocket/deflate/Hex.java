package io.blockbuster.websocket.deflate;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex strings with optional spaces, both ways. */
final class Hex {
    private Hex() {
    }

    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String of(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return HexFormat.of().formatHex(a);
    }
}
