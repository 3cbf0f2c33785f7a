package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.CloseCodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.protocol.Opcode;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Misbehaving clients over real sockets, each ending with the same three checks: the attacker got
 * the answer the limits promise, a well-behaved client's echo works (during the attack where it
 * runs long, and after), and file descriptors, threads and heap are back near where they started
 * ({@link Leaks}). Limits are shrunk per test so each attack is short; the defaults are covered by
 * {@code SECURITY.md}.
 */
class HostileClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Attacks come from raw sockets: the fixture's client is never built. */
    private Loopback loopback;
    /** The fixture's server. */
    private WebSocketServer server;
    private Closes sink;
    private Leaks before;

    @AfterEach
    void stop() {
        if (loopback != null) {
            loopback.close();
        }
    }


    /** Starts a server with an echo path and a recording sink path, warms it, takes the baseline. */
    private int start(WebSocketLimits limits, PerMessageDeflate deflate) throws Exception {
        sink = new Closes();
        loopback = Loopback.start(b -> {
            b.limits(limits).handler("/echo", Loopback.ECHO).handler("/sink", sink);
            if (deflate != null) {
                b.permessageDeflate(deflate);
            }
        });
        server = loopback.server();
        assertEchoWorks(server.port()); // loads what the first connection loads
        Await.until(() -> server.connectionCount() == 0, "warm-up connection released");
        before = Leaks.snapshot();
        return server.port();
    }

    /** The /sink listener: keeps nothing but how each connection closed (a flood must not fill it). */
    static final class Closes implements WebSocketListener {
        final java.util.concurrent.BlockingQueue<CloseStatus> closes = new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
            closes.add(status);
        }

        CloseStatus awaitClose() throws InterruptedException {
            CloseStatus s = closes.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("no close within " + TIMEOUT);
            }
            return s;
        }
    }

    private static WebSocketLimits limits() {
        return WebSocketLimits.builder().handshakeTimeout(Duration.ofSeconds(2)).build();
    }

    /** A well-behaved client: handshake, one text message echoed, a clean close. */
    static void assertEchoWorks(int port) throws IOException {
        try (RawClient c = new RawClient(port)) {
            assertThat(c.handshake("/echo")).startsWith("HTTP/1.1 101");
            c.sendFrame(true, Opcode.TEXT, "still here".getBytes(StandardCharsets.UTF_8));
            RawClient.Frame echo = nextDataOrClose(c);
            assertThat(echo.opcode()).isEqualTo(Opcode.TEXT);
            assertThat(echo.text()).isEqualTo("still here");
            c.sendFrame(true, Opcode.CLOSE, new byte[] {0x03, (byte) 0xE8});
            assertThat(nextDataOrClose(c).opcode()).isEqualTo(Opcode.CLOSE);
        }
    }

    /** The next frame other than a ping (a short ping interval may put one first on a slow machine). */
    private static RawClient.Frame nextDataOrClose(RawClient c) throws IOException {
        while (true) {
            RawClient.Frame f = c.readFrame();
            if (f.opcode() != Opcode.PING) {
                return f;
            }
        }
    }

    private void assertServerRecovered(int port) throws Exception {
        Await.until(() -> server.connectionCount() == 0, "the attacker's connections released");
        assertEchoWorks(port);
        Await.until(() -> server.connectionCount() == 0, "every connection released");
        before.assertBack();
    }

    /** Reads frames until a Close and returns its code; pongs and other frames are skipped. */
    private static int readCloseCode(RawClient c) throws IOException {
        while (true) {
            RawClient.Frame f = c.readFrame();
            if (f.opcode() == Opcode.CLOSE) {
                return f.closeCode();
            }
        }
    }

    /** Writes {@code source} bytes in a thread until it ends or the server stops taking them. */
    private static final class Writer {
        final AtomicLong written = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final CompletableFuture<Throwable> done = new CompletableFuture<>();

        interface Source {
            /** Next bytes to write, or null at the end. Called from the writer thread. */
            byte[] next() throws Exception;
        }

        Writer(OutputStream out, Source source) {
            Thread t = new Thread(() -> {
                try {
                    byte[] b;
                    while (!stop.get() && (b = source.next()) != null) {
                        out.write(b);
                        written.addAndGet(b.length);
                    }
                    out.flush();
                    done.complete(null);
                } catch (Throwable e) {
                    done.complete(e);
                }
            }, "hostile-writer");
            t.setDaemon(true);
            t.start();
        }

        Throwable await() throws Exception {
            stop.set(true);
            return done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Over wss:// the handshake timeout covers TLS too: a socket that never finishes TLS is dropped. */
    @Test
    void tlsPeersThatNeverFinishTheTlsHandshakeAreDropped() throws Exception {
        loopback = Loopback.start(true, b -> b
                // Generous for an honest TLS handshake on a loaded machine (the first one loads and
                // warms the JDK's TLS stack), still far below what an attacker would hold.
                .limits(WebSocketLimits.builder().handshakeTimeout(Duration.ofSeconds(5)).build())
                .handler("/echo", Loopback.ECHO), WebSocketClient.builder());
        server = loopback.server();
        int port = server.port();
        assertTlsEchoWorks(port);
        Await.until(() -> server.connectionCount() == 0, "warm-up connection released");
        before = Leaks.snapshot();
        try (RawClient silent = new RawClient(port); RawClient partial = new RawClient(port)) {
            // A ClientHello's first bytes (record header, handshake type), then nothing more.
            partial.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
            assertTlsEchoWorks(port); // served meanwhile
            assertThat(silent.awaitEndOfStream()).isTrue();
            assertThat(partial.awaitEndOfStream()).isTrue();
        }
        try (RawClient plain = new RawClient(port)) {
            // Cleartext HTTP on the TLS port: an alert or a close, at once; never a 101.
            plain.write(RawClient.upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1));
            String answer;
            try {
                answer = plain.readToEnd();
            } catch (IOException reset) {
                answer = "";
            }
            assertThat(answer).doesNotContain("101");
        }
        Await.until(() -> server.connectionCount() == 0, "the attackers' connections released");
        assertTlsEchoWorks(port);
        Await.until(() -> server.connectionCount() == 0, "every connection released");
        before.assertBack();
    }

    private static void assertTlsEchoWorks(int port) throws Exception {
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) Tls.client().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(RawClient.upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            readHead(s);
            byte[] text = "still here".getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81);
            frame.write(0x80 | text.length);
            frame.writeBytes(new byte[4]); // zero mask key
            frame.writeBytes(text);
            out.write(frame.toByteArray());
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            assertThat(in.readUnsignedByte()).isEqualTo(0x81);
            byte[] echo = new byte[in.readUnsignedByte()];
            in.readFully(echo);
            assertThat(new String(echo, StandardCharsets.UTF_8)).isEqualTo("still here");
        }
    }

    @Test
    void handshakeTrickledOneByteAtATimeIsDroppedAtTheHandshakeTimeout() throws Exception {
        int port = start(limits(), null); // 2 s, where the trickled request would take 15 s
        byte[] request = RawClient.upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient slow = new RawClient(port)) {
            int[] i = {0};
            // The attacker's pace (one byte per 100 ms, 15 s for the request), not a synchronisation.
            Writer w = new Writer(slow.out, () -> {
                if (i[0] >= request.length) {
                    return null;
                }
                if (i[0] > 0) {
                    Thread.sleep(100);
                }
                return new byte[] {request[i[0]++]};
            });
            assertEchoWorks(port); // others are served at their pace while it trickles
            assertThat(slow.awaitEndOfStream()).as("server dropped the trickler").isTrue();
            w.await();
            assertThat(w.written.get()).as("dropped long before the request was complete").isLessThan(request.length);
        }
        assertServerRecovered(port);
    }

    /**
     * The head of the response when the server may reset the connection: it answers 431 and closes
     * while the attacker's bytes are still arriving, and a close with unread input is a TCP reset,
     * which may overtake the 431. Returns null for a reset or end of stream.
     */
    private static String headOrReset(RawClient c) {
        try {
            return c.readHead();
        } catch (IOException reset) {
            return null;
        }
    }

    /** A head just over the 8 KiB bound and no more: the server reads it all, so the 431 arrives. */
    private static void assert431ForAHeadJustOverTheBound(int port) throws IOException {
        try (RawClient c = new RawClient(port)) {
            StringBuilder head = new StringBuilder("GET /echo HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; head.length() < 8192 + 100; i++) {
                head.append("X-").append(i).append(": v\r\n");
            }
            c.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            assertThat(c.readHead()).startsWith("HTTP/1.1 431");
            assertThat(c.awaitEndOfStream()).isTrue();
        }
    }

    @Test
    void headerBlockOfMegabytesIsAnswered431AndNotBuffered() throws Exception {
        int port = start(limits(), null);
        long total = 64L << 20;
        try (RawClient c = new RawClient(port)) {
            byte[] start = "GET /echo HTTP/1.1\r\nHost: x\r\nX-Filler: ".getBytes(StandardCharsets.ISO_8859_1);
            byte[] filler = new byte[64 * 1024];
            java.util.Arrays.fill(filler, (byte) 'a');
            long[] sent = {0};
            Writer w = new Writer(c.out, () -> {
                byte[] next = sent[0] == 0 ? start : filler;
                if (sent[0] + next.length > total) {
                    return null;
                }
                sent[0] += next.length;
                return next;
            });
            String head = headOrReset(c);
            if (head != null) {
                assertThat(head).startsWith("HTTP/1.1 431");
                assertThat(c.awaitEndOfStream()).isTrue();
            }
            // The writer never stops by itself before 64 MiB: it ends because the server closed,
            // having stopped reading at the bound; the rest never got in.
            assertThat(w.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(IOException.class);
            assertThat(w.written.get()).isLessThan(total);
        }
        assert431ForAHeadJustOverTheBound(port);
        assertServerRecovered(port);
    }

    @Test
    void thousandsOfHeadersAreAnswered431AndManySmallOnesWithinTheBoundStillWork() throws Exception {
        int port = start(limits(), null);
        StringBuilder many = new StringBuilder("GET /echo HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 10_000; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        many.append("\r\n");
        byte[] manyBytes = many.toString().getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient c = new RawClient(port)) {
            boolean[] once = {false};
            Writer w = new Writer(c.out, () -> {
                if (once[0]) {
                    return null;
                }
                once[0] = true;
                return manyBytes;
            });
            String head = headOrReset(c);
            if (head != null) {
                assertThat(head).startsWith("HTTP/1.1 431");
            }
            assertThat(c.awaitEndOfStream()).isTrue();
            w.await();
        }
        assert431ForAHeadJustOverTheBound(port);
        // ~1,000 minimal headers inside the 8 KiB bound: parsed in linear time and upgraded.
        String request = RawClient.upgradeRequest("/echo");
        StringBuilder tiny = new StringBuilder(request.substring(0, request.length() - 2));
        int n = 0;
        while (tiny.length() < 8192 - 32) {
            tiny.append("a").append(n++ % 10).append(":\r\n");
        }
        tiny.append("\r\n");
        try (RawClient c = new RawClient(port)) {
            c.write(tiny.toString().getBytes(StandardCharsets.ISO_8859_1));
            assertThat(c.readHead()).startsWith("HTTP/1.1 101");
        }
        assertServerRecovered(port);
    }

    @Test
    void frameClaiming2To63Minus1BytesClosesAt1009AtOnce() throws Exception {
        int port = start(limits(), null);
        try (RawClient c = new RawClient(port)) {
            assertThat(c.handshake("/sink")).startsWith("HTTP/1.1 101");
            c.write(new byte[] {(byte) 0x82, (byte) 0xFF, 0x7F, -1, -1, -1, -1, -1, -1, -1, 1, 2, 3, 4});
            assertThat(readCloseCode(c)).isEqualTo(1009);
            assertThat(c.awaitEndOfStream()).isTrue();
        }
        assertThat(sink.awaitClose().code()).isEqualTo(1009);
        assertServerRecovered(port);
    }

    @Test
    void endlessOneByteFragmentsEndAt1009() throws Exception {
        int port = start(limits().toBuilder().maxSizes(1 << 20, 64 * 1024).build(), null);
        try (RawClient c = new RawClient(port)) {
            assertThat(c.handshake("/sink")).startsWith("HTTP/1.1 101");
            byte[] first = c.frame(false, Opcode.BINARY, new byte[] {1});
            byte[] more = c.frame(false, Opcode.CONTINUATION, new byte[] {1});
            boolean[] started = {false};
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 1024; i++) {
                batch.writeBytes(more);
            }
            byte[] batchBytes = batch.toByteArray();
            Writer w = new Writer(c.out, () -> {
                if (!started[0]) {
                    started[0] = true;
                    return first;
                }
                return batchBytes; // forever, until the server closes
            });
            assertThat(readCloseCode(c)).isEqualTo(1009);
            assertThat(c.awaitEndOfStream()).isTrue();
            w.await();
        }
        assertThat(sink.awaitClose().code()).isEqualTo(1009);
        assertServerRecovered(port);
    }

    /**
     * Empty continuation frames add nothing to the message size, so no size limit ends them: an
     * endless run of them costs the server CPU per frame (like a ping flood) but no memory, and
     * others keep their pace. There is deliberately no fragment-count limit (SECURITY.md).
     */
    @Test
    void endlessEmptyFragmentsCostNoMemoryAndOthersKeepTheirPace() throws Exception {
        int port = start(limits(), null);
        try (RawClient c = new RawClient(port)) {
            assertThat(c.handshake("/echo")).startsWith("HTTP/1.1 101");
            byte[] first = c.frame(false, Opcode.TEXT, "x".getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 4096; i++) {
                batch.writeBytes(c.frame(false, Opcode.CONTINUATION, new byte[0]));
            }
            byte[] batchBytes = batch.toByteArray();
            int batches = 200; // 819,200 empty frames, 4.9 MB
            int[] n = {0};
            Writer w = new Writer(c.out, () -> {
                int i = n[0]++;
                return i == 0 ? first : i <= batches ? batchBytes : null;
            });
            assertEchoWorks(port); // during the run
            assertThat(w.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isNull();
            // The message still completes and is echoed: nothing was lost or piled up.
            c.sendFrame(true, Opcode.CONTINUATION, "y".getBytes(StandardCharsets.UTF_8));
            RawClient.Frame echo = c.readFrame();
            assertThat(echo.text()).isEqualTo("xy");
        }
        assertServerRecovered(port);
    }

    /**
     * Pongs are not rate limited: a ping is answered as long as the peer reads the answers, as RFC
     * 6455 5.5.2 asks. A peer that floods pings keeps its own connection busy; others keep their
     * pace because each read is bounded and the loops serve every connection in turn.
     */
    @Test
    void pingFloodIsAnsweredAndOthersKeepTheirPace() throws Exception {
        int port = start(limits(), null);
        int pings = 20_000;
        try (RawClient c = new RawClient(port)) {
            assertThat(c.handshake("/sink")).startsWith("HTTP/1.1 101");
            byte[] ping = c.frame(true, Opcode.PING, new byte[125]);
            int[] sent = {0};
            Writer w = new Writer(c.out, () -> sent[0]++ < pings ? ping : null);
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> pongs = reader.submit(() -> {
                    int n = 0;
                    while (n < pings) {
                        RawClient.Frame f = c.readFrame();
                        assertThat(f.opcode()).isEqualTo(Opcode.PONG);
                        assertThat(f.payload()).hasSize(125);
                        n++;
                    }
                    return n;
                });
                assertEchoWorks(port); // during the flood
                assertThat(pongs.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(pings);
            } finally {
                reader.shutdownNow();
            }
            assertThat(w.await()).isNull();
        }
        assertServerRecovered(port);
    }

    /**
     * A peer that floods pings and never reads the pongs is held back: once the pongs pass the high
     * watermark the server stops reading (read backpressure), so the flood waits in TCP and the
     * pongs never pass the watermark plus one read; the peer, which answers no ping of ours either,
     * is dropped at the pong timeout (1006). (Before read backpressure: closed 1008 at
     * {@code maxBufferedBytes}; before that, pongs queued without bound.)
     */
    @Test
    void pingFloodThatNeverReadsThePongsIsHeldBackAndDroppedAtThePongTimeout() throws Exception {
        int port = start(limits().toBuilder().writeBuffer(16 * 1024, 32 * 1024, 256 * 1024)
                .ping(Duration.ofSeconds(1), Duration.ofSeconds(1)).build(), null);
        try (RawClient c = new RawClient(port)) {
            c.socket.setReceiveBufferSize(4096);
            assertThat(c.handshake("/sink")).startsWith("HTTP/1.1 101");
            byte[] ping = c.frame(true, Opcode.PING, new byte[125]);
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 256; i++) {
                batch.writeBytes(ping);
            }
            byte[] batchBytes = batch.toByteArray();
            Writer w = new Writer(c.out, () -> batchBytes);
            assertEchoWorks(port); // during the flood
            assertThat(sink.awaitClose().code()).isEqualTo(CloseCodes.ABNORMAL_CLOSURE);
            // The writer never stops by itself: it ends when the server drops the connection.
            assertThat(w.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        }
        assertServerRecovered(port);
    }

    @Test
    void decompressionBombOverPermessageDeflateClosesWith1009() throws Exception {
        int port = start(limits(), PerMessageDeflate.withDefaults());
        byte[] bomb = deflateRaw(new byte[64 << 20]); // 64 MiB of zeros in about 64 KiB
        assertThat(bomb.length).isLessThan(1 << 20);
        try (RawClient c = new RawClient(port)) {
            String request = RawClient.upgradeRequest("/sink");
            c.write((request.substring(0, request.length() - 2)
                    + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(c.readHead()).startsWith("HTTP/1.1 101").contains("permessage-deflate");
            byte[] frame = c.frame(true, Opcode.BINARY, bomb);
            frame[0] |= 0b0100_0000; // RSV1: compressed
            c.write(frame);
            assertThat(readCloseCode(c)).isEqualTo(1009);
            assertThat(c.awaitEndOfStream()).isTrue();
        }
        assertThat(sink.awaitClose().code()).isEqualTo(1009);
        assertServerRecovered(port);
    }

    /** DEFLATE without the zlib wrapper and without the final 00 00 ff ff, as RFC 7692 7.2.1 sends. */
    private static byte[] deflateRaw(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
                out.write(buf, 0, n);
                if (n < buf.length && d.needsInput()) {
                    break;
                }
            }
            byte[] all = out.toByteArray();
            return java.util.Arrays.copyOf(all, all.length - 4);
        } finally {
            d.end();
        }
    }

    @Test
    void connectionsBeyondTheMaximumAreRefusedCleanly() throws Exception {
        int port = start(limits().toBuilder().maxConnections(8).build(), null);
        List<RawClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                RawClient c = new RawClient(port);
                held.add(c);
                assertThat(c.handshake("/sink")).startsWith("HTTP/1.1 101");
            }
            for (int i = 0; i < 20; i++) {
                try (RawClient extra = new RawClient(port)) {
                    String answer;
                    try {
                        extra.write(RawClient.upgradeRequest("/sink").getBytes(StandardCharsets.ISO_8859_1));
                        answer = extra.readToEnd();
                    } catch (IOException reset) {
                        answer = "";
                    }
                    assertThat(answer).doesNotContain(" 101 ");
                    if (!answer.isEmpty()) {
                        assertThat(answer).startsWith("HTTP/1.1 503");
                    }
                }
            }
            assertThat(server.connectionCount()).isEqualTo(8);
            // The held connections are unaffected.
            RawClient first = held.get(0);
            first.sendFrame(true, Opcode.PING, new byte[] {7});
            assertThat(first.readFrame().opcode()).isEqualTo(Opcode.PONG);
        } finally {
            for (RawClient c : held) {
                c.close();
            }
        }
        assertServerRecovered(port);
    }

    @Test
    void tenThousandConnectDisconnectCyclesLeakNothing() throws Exception {
        int port = start(limits(), null);
        int connectors = 4;
        int cycles = 10_000 / connectors;
        byte[] request = RawClient.upgradeRequest("/sink").getBytes(StandardCharsets.ISO_8859_1);
        ExecutorService pool = Executors.newFixedThreadPool(connectors);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < connectors; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < cycles; i++) {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                            s.setSoTimeout(30_000);
                            switch ((i + seed) % 4) {
                                case 0 -> { } // connect and vanish
                                case 1 -> s.getOutputStream().write(request, 0, request.length / 2); // mid-handshake
                                case 2 -> {   // full handshake, then reset without a close
                                    s.getOutputStream().write(request);
                                    readHead(s);
                                    s.setSoLinger(true, 0);
                                }
                                default -> { // full handshake and a clean close
                                    s.getOutputStream().write(request);
                                    readHead(s);
                                    s.getOutputStream().write(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xE8});
                                    while (s.getInputStream().read() >= 0) {
                                        // until the server closes
                                    }
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        sink.closes.clear();
        assertServerRecovered(port);
    }

    private static void readHead(Socket s) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = s.getInputStream().read();
            if (b < 0) {
                throw new EOFException("end of stream in response head");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Test
    void peerThatVanishesWithoutACloseIsDetectedByThePingTimeout() throws Exception {
        int port = start(limits().toBuilder().ping(Duration.ofMillis(200), Duration.ofMillis(500)).build(), null);
        // Completes the handshake, then neither reads nor answers: a half-open TCP peer as the
        // server sees it (a pulled cable looks the same until the pong timeout).
        try (RawClient gone = new RawClient(port)) {
            assertThat(gone.handshake("/sink")).startsWith("HTTP/1.1 101");
            assertThat(sink.awaitClose().code()).isEqualTo(1006);
        }
        assertServerRecovered(port);
    }
}
