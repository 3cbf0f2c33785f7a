package io.blockbuster.websocket;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Graceful shutdown with many connections, and a thousand connections at once. */
class ShutdownAndScaleTest {

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    /** Open sockets of this process (Linux), or -1 where /proc is not available. */
    private static long openSockets() {
        java.nio.file.Path fds = java.nio.file.Path.of("/proc/self/fd");
        if (!java.nio.file.Files.isDirectory(fds)) {
            return -1;
        }
        try (java.util.stream.Stream<java.nio.file.Path> list = java.nio.file.Files.list(fds)) {
            return list.filter(p -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    void gracefulShutdownSendsGoingAwayToEveryConnectionAndLeavesNoThreads() throws Exception {
        long socketsBefore = openSockets();
        WebSocketServer server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .eventLoops(2)
                .handler("/ws", new WebSocketListener() {
                })
                .build();
        server.start();
        int port = server.port();
        int n = 200;
        List<Recorder> recs = new ArrayList<>();
        try (WebSocketClient client = WebSocketClient.builder().eventLoops(2).build()) {
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Recorder r = new Recorder();
                recs.add(r);
                opening.add(client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), r));
            }
            for (CompletableFuture<WebSocket> f : opening) {
                f.get(30, TimeUnit.SECONDS);
            }
            Await.until(() -> server.connectionCount() == n, "all connected");
            server.shutdown(Duration.ofSeconds(20));
            for (Recorder r : recs) {
                Recorder.CloseEvent e = r.awaitClose();
                assertThat(e.status()).isEqualTo(new CloseStatus(1001, "server shutting down"));
                assertThat(e.closedByPeer()).isTrue();
            }
        }
        assertThat(server.connectionCount()).isZero();
        assertThat(threadsNamed("blockbuster-server-" + port)).isZero();
        if (socketsBefore >= 0) {
            assertThat(openSockets()).as("sockets left open").isLessThanOrEqualTo(socketsBefore);
        }
        // the port is free again
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aThousandConnectionsExchangeMessagesConcurrently() throws Exception {
        // Each connection costs two file descriptors here (both ends are in this JVM): ~2,000 in all,
        // well under the usual 'ulimit -n' of 4,096 or more.
        int connections = 1000;
        int messages = 10;
        WebSocketServer server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .eventLoops(2)
                .handler("/echo", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket ws, String text) {
                        ws.sendText(text);
                    }
                })
                .build();
        server.start();
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections * messages);
        try (WebSocketClient client = WebSocketClient.builder().eventLoops(2).build()) {
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int id = i;
                opening.add(client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new WebSocketListener() {
                    private int expected;

                    @Override
                    public void onText(WebSocket ws, String text) {
                        if (!text.equals(id + "/" + expected)) {
                            wrong.incrementAndGet();
                        }
                        expected++;
                        done.countDown();
                        if (expected < messages) {
                            ws.sendText(id + "/" + expected);
                        }
                    }
                }));
            }
            List<WebSocket> open = new ArrayList<>();
            for (CompletableFuture<WebSocket> f : opening) {
                open.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(server.connectionCount()).isEqualTo(connections);
            for (int i = 0; i < connections; i++) {
                open.get(i).sendText(i + "/0");
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(wrong.get()).isZero();
        } finally {
            server.shutdown(Duration.ofSeconds(10));
        }
    }
}
