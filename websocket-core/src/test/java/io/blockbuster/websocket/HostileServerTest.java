package io.blockbuster.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.protocol.HandshakeException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client against servers that lie, stall, bomb or vanish ({@link HostileServer}, a raw socket
 * server on loopback). Each attack ends with its exact outcome: a failed connect with the cause a
 * caller can act on, or a close with the code RFC 6455 prescribes, seen on the wire as well as by
 * the listener, and the client's socket closed.
 */
class HostileServerTest {
    private static final long WAIT = 30;
    private static final WebSocketLimits LIMITS = WebSocketLimits.builder()
            .handshakeTimeout(Duration.ofSeconds(1))
            .maxSizes(1 << 20, 1 << 20)
            .ping(Duration.ZERO, Duration.ZERO).build();

    private WebSocketClient client;
    private HostileServer server;

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Throwable connectFailure(WebSocketLimits limits, Recorder rec) throws Exception {
        client = WebSocketClient.builder().limits(limits).build();
        CompletableFuture<WebSocket> connect = client.connect(server.uri(), rec);
        assertThatThrownBy(() -> connect.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(rec.events).as("the listener hears nothing of a connection that never opened").isEmpty();
        return connect.handle((ws, e) -> e).get();
    }

    @Test
    void wrongAcceptKeyFailsTheConnect() throws Exception {
        server = new HostileServer(s -> {
            HostileServer.readRequestHead(s.getInputStream());
            s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            HostileServer.awaitPeerGone(s);
        });
        Throwable failure = connectFailure(LIMITS, new Recorder());
        assertThat(failure).isInstanceOf(HandshakeException.class).hasMessage("wrong Sec-WebSocket-Accept");
        assertThat(((HandshakeException) failure).status()).isEqualTo(101);
        server.firstScript.get(WAIT, TimeUnit.SECONDS); // the client closed its socket
    }

    @Test
    void serverThatNeverAnswersIsDroppedAtTheHandshakeTimeout() throws Exception {
        server = new HostileServer(s -> {
            HostileServer.readRequestHead(s.getInputStream());
            HostileServer.awaitPeerGone(s);
        });
        long start = System.nanoTime();
        Throwable failure = connectFailure(LIMITS, new Recorder());
        assertThat(failure).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("handshake");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
        server.firstScript.get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void responseTrickledForeverIsDroppedAtTheHandshakeTimeout() throws Exception {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        try {
            server = new HostileServer(s -> {
                HostileServer.readRequestHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 101 Switching Protocols\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] header = "X-Slow: x\r\n".getBytes(StandardCharsets.US_ASCII);
                int[] next = {0};
                ticker.scheduleAtFixedRate(() -> { // one byte every 20 ms, never the blank line
                    try {
                        out.write(header[next[0]++ % header.length]);
                    } catch (IOException e) {
                        throw new IllegalStateException("peer gone", e); // ends the ticks
                    }
                }, 0, 20, TimeUnit.MILLISECONDS);
                HostileServer.awaitPeerGone(s);
            });
            long start = System.nanoTime();
            Throwable failure = connectFailure(LIMITS, new Recorder());
            assertThat(failure).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("handshake");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
            server.firstScript.get(WAIT, TimeUnit.SECONDS);
        } finally {
            ticker.shutdownNow();
        }
    }

    @Test
    void headersPastTheLimitFailTheConnectAndTheRestIsNeverRead() throws Exception {
        AtomicBoolean allWritten = new AtomicBoolean();
        server = new HostileServer(s -> {
            HostileServer.readRequestHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 101 Switching Protocols\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("X-Filler: " + "a".repeat(1000) + "\r\n").repeat(64).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 1024; i++) { // 64 MiB of headers
                    out.write(chunk);
                }
                allWritten.set(true);
            } catch (IOException e) {
                // the client closed: what we expect
            }
        });
        Throwable failure = connectFailure(LIMITS, new Recorder());
        assertThat(failure).isInstanceOf(HandshakeException.class).hasMessage("header block over 8192 bytes");
        server.firstScript.get(WAIT, TimeUnit.SECONDS);
        assertThat(allWritten).as("the client stopped reading at the limit").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "302 Found|Location: /elsewhere, 302",
        "503 Service Unavailable|Retry-After: 1, 503",
        "200 OK|Content-Length: 0, 200",
        "401 Unauthorized|WWW-Authenticate: Basic, 401",
    })
    void statusOtherThan101FailsTheConnectWithThatStatusAndIsNotFollowed(String statusAndHeaders, int status) throws Exception {
        server = new HostileServer(s -> {
            HostileServer.readRequestHead(s.getInputStream());
            s.getOutputStream().write(("HTTP/1.1 " + statusAndHeaders.replace("|", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            HostileServer.awaitPeerGone(s);
        });
        Throwable failure = connectFailure(LIMITS, new Recorder());
        assertThat(failure).isInstanceOf(HandshakeException.class)
                .hasMessage("expected 101 Switching Protocols, got " + status);
        assertThat(((HandshakeException) failure).status()).isEqualTo(status);
        server.firstScript.get(WAIT, TimeUnit.SECONDS);
        assertThat(server.accepted).hasValue(1);
    }

    /** Opens a client against {@code server}, expects a close with {@code code} on the wire and in the listener. */
    private void expectClose(WebSocketClient.Builder builder, String frameHex, int code) throws Exception {
        CompletableFuture<Integer> onWire = new CompletableFuture<>();
        byte[] frame = HexFormat.of().parseHex(frameHex);
        server = new HostileServer(s -> {
            HostileServer.upgrade(s, "");
            s.getOutputStream().write(frame);
            onWire.complete(HostileServer.readCloseCode(s));
            HostileServer.awaitPeerGone(s);
        });
        client = builder.limits(LIMITS).build();
        Recorder rec = new Recorder();
        client.connect(server.uri(), rec).get(WAIT, TimeUnit.SECONDS);
        Recorder.CloseEvent close = rec.awaitClose();
        assertThat(close.status().code()).isEqualTo(code);
        assertThat(close.closedByPeer()).isFalse();
        assertThat(onWire.get(WAIT, TimeUnit.SECONDS)).as("close code on the wire").isEqualTo(code);
        server.firstScript.get(WAIT, TimeUnit.SECONDS);
        assertThat(rec.events).noneMatch(e -> e.startsWith("text") || e.startsWith("binary"));
    }

    @Test
    void maskedFrameFromTheServerIs1002() throws Exception {
        // "Hello" masked with 37 fa 21 3d (RFC 6455 5.7), which only clients may send
        expectClose(WebSocketClient.builder(), "818537fa213d7f9f4d5158", 1002);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "length 2^63-1 (over the limit) is 1009 at once, 827f7fffffffffffffff, 1009",
        "length with the top bit set is 1002, 827f8000000000000001, 1002",
        "length 5 in 16 bits (not minimal) is 1002, 827e0005, 1002",
        "length 2 MiB + 1 (over the frame limit) is 1009 at once, 827f0000000000200001, 1009",
    })
    void lengthLiesCloseAtTheHeader(String name, String header, int code) throws Exception {
        expectClose(WebSocketClient.builder(), header, code);
    }

    @Test
    void decompressionBombFromTheServerIs1009() throws Exception {
        byte[] bomb = deflateRaw(new byte[64 << 20]); // 64 MiB of zeros in about 64 KiB
        assertThat(bomb.length).isLessThan(1 << 20);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0xC2); // FIN, RSV1 (compressed), binary
        if (bomb.length < 65536) { // lengths are minimally encoded, or the frame is 1002 before any inflating
            frame.write(126);
            frame.writeBytes(ByteBuffer.allocate(2).putShort((short) bomb.length).array());
        } else {
            frame.write(127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(bomb.length).array());
        }
        frame.writeBytes(bomb);
        CompletableFuture<Integer> onWire = new CompletableFuture<>();
        server = new HostileServer(s -> {
            HostileServer.upgrade(s, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover;"
                    + " client_no_context_takeover\r\n");
            s.getOutputStream().write(frame.toByteArray());
            onWire.complete(HostileServer.readCloseCode(s));
            HostileServer.awaitPeerGone(s);
        });
        try (PerMessageDeflate deflate = PerMessageDeflate.withDefaults()) {
            client = WebSocketClient.builder().limits(LIMITS).permessageDeflate(deflate).build();
            Recorder rec = new Recorder();
            WebSocket ws = client.connect(server.uri(), rec).get(WAIT, TimeUnit.SECONDS);
            assertThat(ws.handshake().extensions()).hasSize(1);
            assertThat(rec.awaitClose().status().code()).isEqualTo(1009);
            assertThat(onWire.get(WAIT, TimeUnit.SECONDS)).isEqualTo(1009);
            server.firstScript.get(WAIT, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverVanishingMidFrameIs1006ByPeerAndNoMessage() throws Exception {
        server = new HostileServer(s -> {
            HostileServer.upgrade(s, "");
            s.getOutputStream().write(HexFormat.of().parseHex("817e03e8" + "61".repeat(10))); // 10 of 1000 bytes
            s.getOutputStream().flush();
        }); // the script returns: the socket closes
        client = WebSocketClient.builder().limits(LIMITS).build();
        Recorder rec = new Recorder();
        client.connect(server.uri(), rec).get(WAIT, TimeUnit.SECONDS);
        Recorder.CloseEvent close = rec.awaitClose();
        assertThat(close.status().code()).isEqualTo(1006);
        assertThat(close.closedByPeer()).isTrue();
        assertThat(rec.events).containsExactly("open", "close 1006 peer");
    }

    @Test
    void serverThatNeverReadsMakesTheClientNotWritableThenDropsItAtTheHardLimit() throws Exception {
        int high = 64 << 10;
        int hard = 1 << 20;
        int message = 16 << 10;
        CompletableFuture<Void> release = new CompletableFuture<>();
        server = new HostileServer(java.net.InetAddress.getLoopbackAddress(), 4096, s -> {
            HostileServer.upgrade(s, "");
            release.get(WAIT * 4, TimeUnit.SECONDS); // never reads until the test is over
            HostileServer.awaitPeerGone(s);
        });
        // A close timeout far beyond the test's waits: the drop at the hard limit must not wait for it.
        client = WebSocketClient.builder().limits(LIMITS.toBuilder().writeBuffer(high / 2, high, hard)
                .closeTimeout(Duration.ofMinutes(10)).build()).build();
        CompletableFuture<Boolean> notWritable = new CompletableFuture<>();
        Recorder rec = new Recorder() {
            @Override
            public void onWritabilityChanged(WebSocket ws, boolean writable) {
                if (!writable) {
                    notWritable.complete(true);
                }
            }
        };
        WebSocket ws = client.connect(server.uri(), rec).get(WAIT, TimeUnit.SECONDS);
        ByteBuffer payload = ByteBuffer.allocate(message);
        while (ws.isWritable()) {
            ws.sendBinary(payload);
        }
        assertThat(ws.bufferedBytes()).as("a sender that honours isWritable() stops at the watermark + one message")
                .isLessThanOrEqualTo(high + message + 14);
        assertThat(notWritable.get(WAIT, TimeUnit.SECONDS)).isTrue();
        long maxBuffered = 0;
        CompletableFuture<Void> refused = null;
        // A sender that ignores it. The bound is far past what loopback's kernel buffers (a few MiB)
        // plus the hard limit can hold, so the loop ends by the drop, not by the count.
        for (int i = 0; ws.isOpen() && i < 64 * hard / message; i++) {
            CompletableFuture<Void> sent = ws.sendBinary(payload);
            if (refused == null && sent.isCompletedExceptionally()) {
                refused = sent;
            }
            maxBuffered = Math.max(maxBuffered, ws.bufferedBytes());
        }
        assertThat(maxBuffered).isLessThanOrEqualTo(hard + message + 14);
        // The send past the limit fails at once. (Sends accepted after it while the loop was still
        // draining into the kernel's buffer may complete normally: the drop runs on the loop later.)
        assertThat(refused).as("a send past the hard limit is refused").isNotNull();
        Recorder.CloseEvent close = rec.awaitClose();
        assertThat(close.status().code()).isEqualTo(1008);
        assertThat(close.closedByPeer()).isFalse();
        assertThat(ws.sendBinary(payload)).as("nothing is accepted after the drop")
                .failsWithin(Duration.ofSeconds(WAIT));
        release.complete(null);
        server.firstScript.get(WAIT, TimeUnit.SECONDS);
    }

    static byte[] deflateRaw(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
                out.write(buf, 0, n);
            }
            byte[] all = out.toByteArray();
            return java.util.Arrays.copyOf(all, all.length - 4); // RFC 7692: drop the 00 00 ff ff tail
        } finally {
            d.end();
        }
    }
}
