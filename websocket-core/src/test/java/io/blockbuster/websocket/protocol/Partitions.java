package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Feeds an input in every interesting partition: whole, cut in two at every byte boundary, and one
 * byte at a time. Each piece is a fresh writable buffer whose position is not 0 (guard bytes in
 * front), so code under test must use the buffer's position, not index 0. Long inputs are cut at
 * a sample of boundaries (all of the first and last 40, which include every header boundary, and every 509th in between) to keep tests quick.
 */
final class Partitions {
    private Partitions() {
    }

    /** Calls {@code feed} once per partition with a description and the pieces in order. */
    static void forEach(byte[] input, BiConsumer<String, List<ByteBuffer>> feed) {
        feed.accept("whole", List.of(piece(input, 0, input.length)));
        for (int cut = 1; cut < input.length; cut++) {
            if (input.length > 256 && cut > 40 && cut < input.length - 40 && cut % 509 != 0) {
                continue;
            }
            feed.accept("cut at " + cut, List.of(piece(input, 0, cut), piece(input, cut, input.length)));
        }
        if (input.length <= 70_000) {
            List<ByteBuffer> single = new ArrayList<>(input.length);
            for (int i = 0; i < input.length; i++) {
                single.add(piece(input, i, i + 1));
            }
            feed.accept("byte by byte", single);
        }
    }

    static ByteBuffer piece(byte[] input, int from, int to) {
        ByteBuffer b = ByteBuffer.allocate(3 + (to - from) + 2);
        b.put(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE});
        b.put(input, from, to - from);
        b.put(new byte[] {(byte) 0xDD, (byte) 0xDD});
        b.position(3).limit(3 + (to - from));
        return b;
    }
}
