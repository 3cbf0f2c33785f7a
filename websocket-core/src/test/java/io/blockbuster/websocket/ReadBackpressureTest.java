package io.blockbuster.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.websocket.protocol.Opcode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Read backpressure: while a connection is over its high watermark the server does not read from
 * it, so a peer that sends and never reads costs at most the watermark plus what one read brought
 * in; past the hard limit the connection is dropped at once rather than after a close timeout.
 */
class ReadBackpressureTest {
    private static final int HIGH = 64 * 1024;
    private static final int MESSAGE = 8 * 1024;
    /** One read (a 32 KiB pool buffer) may bring several messages, each echoed before the pause. */
    private static final int ONE_READ = 32 * 1024;

    private Loopback loopback;
    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (loopback != null) {
            loopback.close();
        }
    }

    @Test
    void echoToAPeerThatNeverReadsStaysAtTheWatermarkPlusOneRead() throws Exception {
        AtomicLong maxBuffered = new AtomicLong();
        AtomicLong echoed = new AtomicLong();
        loopback = Loopback.start(b -> b.eventLoops(1)
                .limits(WebSocketLimits.builder().writeBuffer(HIGH / 2, HIGH, 256L << 20).build())
                .handler("/echo", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket ws, String text) { // like the echo example: ignores isWritable()
                        ws.sendText(text);
                        echoed.incrementAndGet();
                        maxBuffered.accumulateAndGet(ws.bufferedBytes(), Math::max);
                    }
                }));
        server = loopback.server();
        byte[] frame;
        try (RawClient c = new RawClient(server.port(), 4096)) {
            assertThat(c.handshake("/echo")).startsWith("HTTP/1.1 101");
            frame = c.frame(true, Opcode.TEXT, "x".repeat(MESSAGE).getBytes(StandardCharsets.UTF_8));
            int frames = (64 << 20) / frame.length; // 64 MiB, far more than any socket buffers hold
            AtomicLong written = new AtomicLong();
            CompletableFuture<Throwable> writer = write(c.out, frame, frames, written);
            // Wait until the writer is done (the server read everything) or stalled (TCP pushed back).
            long last = -1;
            long stillSince = System.nanoTime();
            while (!writer.isDone() && System.nanoTime() - stillSince < TimeUnit.SECONDS.toNanos(3)) {
                long now = written.get();
                if (now != last) {
                    last = now;
                    stillSince = System.nanoTime();
                }
                try {
                    writer.get(100, TimeUnit.MILLISECONDS); // waits on the writer, or times out to poll
                } catch (java.util.concurrent.TimeoutException e) {
                    // still writing or stalled: look again
                }
            }
            assertThat(maxBuffered.get()).as("outbound bytes held for a peer that never reads (%d echoed)", echoed.get())
                    .isLessThanOrEqualTo(HIGH + ONE_READ + MESSAGE + 64);
            assertThat(writer).as("the sender is held back by TCP: it cannot write all 64 MiB").isNotDone();
        }
    }

    @Test
    void pastTheHardLimitTheConnectionIsDroppedAtOnce() throws Exception {
        CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        loopback = Loopback.start(b -> b.eventLoops(1)
                // a close timeout far beyond the test's waits: the drop must not wait for it
                .limits(WebSocketLimits.builder().writeBuffer(HIGH / 2, HIGH, 1 << 20)
                        .closeTimeout(Duration.ofMinutes(10)).build())
                .handler("/ws", new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket ws) {
                        opened.complete(ws);
                    }

                    @Override
                    public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
                        closed.complete(status);
                    }
                }));
        server = loopback.server();
        try (RawClient c = new RawClient(server.port(), 4096)) {
            assertThat(c.handshake("/ws")).startsWith("HTTP/1.1 101");
            WebSocket ws = opened.get(30, TimeUnit.SECONDS);
            ByteBuffer chunk = ByteBuffer.allocate(MESSAGE);
            for (int i = 0; i < 100_000 && !closed.isDone() && ws.isOpen(); i++) {
                ws.sendBinary(chunk); // a host that ignores isWritable()
            }
            assertThat(closed.get(30, TimeUnit.SECONDS)).isEqualTo(new CloseStatus(1008, "peer too slow to read"));
            assertThat(ws.bufferedBytes()).isZero();
            Await.until(() -> server.connectionCount() == 0, "the connection released");
        }
    }

    private static CompletableFuture<Throwable> write(OutputStream out, byte[] frame, int frames, AtomicLong written) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < frames; i++) {
                    out.write(frame);
                    written.addAndGet(frame.length);
                }
                done.complete(null);
            } catch (IOException e) {
                done.complete(e);
            }
        }, "never-reading-writer");
        t.setDaemon(true);
        t.start();
        return done;
    }
}
