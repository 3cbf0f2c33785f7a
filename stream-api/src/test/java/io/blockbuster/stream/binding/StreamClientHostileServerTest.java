package io.blockbuster.stream.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.client.StreamClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link StreamClient} against a server that refuses every upgrade: it reports why, in words a
 * person can act on, and backs off instead of hammering the server (no retry storm).
 */
class StreamClientHostileServerTest {

    @Test
    void refusedUpgradesAreReportedWithTheirStatusAndRetriedWithGrowingBackoff() throws Exception {
        List<Long> accepts = new CopyOnWriteArrayList<>();
        BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread server = new Thread(() -> {
                while (true) {
                    try (Socket s = listener.accept()) {
                        accepts.add(System.nanoTime());
                        readHead(s.getInputStream());
                        s.getOutputStream().write("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        if (listener.isClosed()) {
                            return;
                        }
                    }
                }
            }, "refusing-server");
            server.setDaemon(true);
            server.start();
            URI uri = URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
            try (StreamClient client = StreamBinding.client(uri).backoff(Duration.ofMillis(100), Duration.ofSeconds(10))
                    .listener(new StreamClient.Listener() {
                        @Override
                        public void onClose(int code, String reason) {
                            reasons.add(code + " " + reason);
                        }
                    }).build()) {
                client.start();
                for (int i = 0; i < 5; i++) {
                    assertThat(reasons.poll(30, TimeUnit.SECONDS)).as("attempt " + i)
                            .isEqualTo("1006 connect failed: HandshakeException: expected 101 Switching Protocols, got 503");
                }
                // Backoff 100 ms doubling, with "equal jitter" at least half of each: 50 + 100 + 200 + 400 ms
                // between the first and the fifth attempt. A storm would make them in a few milliseconds.
                assertThat(accepts.get(4) - accepts.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(750));
                assertThat(client.state()).isIn(StreamClient.State.WAITING_TO_RECONNECT, StreamClient.State.CONNECTING);
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed during its request");
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }
}
