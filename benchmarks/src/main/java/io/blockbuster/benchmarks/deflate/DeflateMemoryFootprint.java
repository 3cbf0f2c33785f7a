package io.blockbuster.benchmarks.deflate;

import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.deflate.PerMessageDeflateExtension;

import io.blockbuster.websocket.protocol.Opcode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures what idle permessage-deflate connections cost: negotiates N server-side extensions,
 * optionally moves one message each way through each (so lazily created zlib streams exist),
 * then reports heap (after GC) and resident-set growth per connection. Run it with a fixed,
 * pre-touched heap so that RSS growth is native memory (zlib) and not heap:
 *
 * <pre>
 * mvn -B -q -pl websocket-core -am test-compile
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp websocket-core/target/classes:websocket-core/target/test-classes \
 *     io.blockbuster.websocket.deflate.DeflateMemoryFootprint [connections] [lean|takeover] [idle|used] [messageBytes]
 * </pre>
 * Not a test: a main program for BENCHMARKS.md. Linux only (reads /proc/self/status).
 */
public final class DeflateMemoryFootprint {
    private DeflateMemoryFootprint() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        boolean lean = args.length <= 1 || args[1].equals("lean");
        boolean used = args.length > 2 && args[2].equals("used");
        PerMessageDeflate server = PerMessageDeflate.builder()
                .serverNoContextTakeover(lean).clientNoContextTakeover(lean).build();
        PerMessageDeflate client = PerMessageDeflate.builder()
                .serverNoContextTakeover(lean).clientNoContextTakeover(lean).build();
        int messageBytes = args.length > 3 ? Integer.parseInt(args[3]) : 600;
        byte[] message = new byte[messageBytes];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < messageBytes; i++) {
            message[i] = (byte) ('a' + random.nextInt(8)); // compressible, but not trivially
        }
        ByteBuffer compressed;
        try (PerMessageDeflateExtension peer = client.acceptResponse(server.acceptOffer(client.offers().get(0)).response())) {
            compressed = peer.encodeMessage(Opcode.TEXT, ByteBuffer.wrap(message)).payload();
        }

        long heap0 = heapAfterGc();
        long rss0 = rssBytes();
        PerMessageDeflateExtension[] connections = new PerMessageDeflateExtension[n];
        for (int i = 0; i < n; i++) {
            PerMessageDeflateExtension e = server.acceptOffer(client.offers().get(0));
            if (used) {
                e.encodeMessage(Opcode.TEXT, ByteBuffer.wrap(message));
                e.decodeMessage(PerMessageDeflateExtension.RSV1, compressed.duplicate(), 1 << 20);
            }
            connections[i] = e;
        }
        long heap1 = heapAfterGc();
        long rss1 = rssBytes();
        System.out.printf("%d connections, %s, %s, %d-byte messages: heap %.0f B/conn, RSS %.0f B/conn (%.1f MiB total)%n",
                n, lean ? "no context takeover" : "context takeover", used ? "one message each way" : "idle after handshake", messageBytes,
                (heap1 - heap0) / (double) n, (rss1 - rss0) / (double) n, (rss1 - rss0) / 1048576.0);
        for (PerMessageDeflateExtension e : connections) {
            e.close();
        }
        server.close();
        long rss2 = rssBytes();
        // glibc keeps freed blocks in its arenas, so RSS does not fall; a second round reusing
        // them shows that close() really freed the zlib streams (no growth) rather than leaking.
        for (int i = 0; i < n; i++) {
            PerMessageDeflateExtension e = server.acceptOffer(client.offers().get(0));
            if (used) {
                e.encodeMessage(Opcode.TEXT, ByteBuffer.wrap(message));
                e.decodeMessage(PerMessageDeflateExtension.RSV1, compressed.duplicate(), 1 << 20);
            }
            connections[i] = e;
        }
        long rss3 = rssBytes();
        for (PerMessageDeflateExtension e : connections) {
            e.close();
        }
        System.out.printf("after close(): RSS %.1f MiB above the start; a second round of %d grew RSS by %.1f MiB%n",
                (rss2 - rss0) / 1048576.0, n, (rss3 - rss2) / 1048576.0);
    }

    private static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS");
    }
}
