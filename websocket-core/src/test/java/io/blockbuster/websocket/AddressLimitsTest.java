package io.blockbuster.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-address limits over real sockets from distinct loopback addresses (127.0.0.2, 127.0.0.3, ...):
 * one address past its limit gets {@code 429} before anything is read, while another address is
 * served as usual, and the address's count goes down again when its connections close.
 */
class AddressLimitsTest {
    private WebSocketServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    private void start(AddressLimits limits) throws IOException {
        server = WebSocketServer.builder().bindAddress(InetAddress.getLoopbackAddress()).eventLoops(1)
                .addressLimits(limits).handler("/ws", new WebSocketListener() {
                }).build();
        server.start();
    }

    /** Connects from {@code from}, sends an upgrade request, returns the status line of the answer. */
    private String upgradeFrom(String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        s.setSoTimeout(30_000);
        try {
            s.getOutputStream().write(RawClient.upgradeRequest("/ws").getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // refused before the request could be written: the answer is still there to read
        }
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\r'; ) {
            line.append((char) b);
        }
        return line.toString();
    }

    @Test
    void oneAddressPastItsConnectionLimitGets429AndOthersAreServed() throws Exception {
        start(new AddressLimits(2, 0));
        assertThat(upgradeFrom("127.0.0.2")).isEqualTo("HTTP/1.1 101 Switching Protocols");
        assertThat(upgradeFrom("127.0.0.2")).isEqualTo("HTTP/1.1 101 Switching Protocols");
        assertThat(upgradeFrom("127.0.0.2")).isEqualTo("HTTP/1.1 429 Too Many Requests");
        assertThat(upgradeFrom("127.0.0.3")).isEqualTo("HTTP/1.1 101 Switching Protocols");
        assertThat(upgradeFrom("127.0.0.3")).isEqualTo("HTTP/1.1 101 Switching Protocols");

        sockets.get(0).close(); // one of 127.0.0.2's connections goes: it may open another
        Await.until(() -> server.connectionCount() == 3, "the closed connection released");
        assertThat(upgradeFrom("127.0.0.2")).isEqualTo("HTTP/1.1 101 Switching Protocols");
        assertThat(upgradeFrom("127.0.0.2")).isEqualTo("HTTP/1.1 429 Too Many Requests");
        assertThat(server.stats().handshakesRejected()).as("counted as the answers went").isEqualTo(Map.of(429, 2L));
    }

    @Test
    void oneAddressOpeningTooFastGets429AndAnotherIsStillServed() throws Exception {
        start(new AddressLimits(0, 5));
        long start = System.nanoTime();
        int upgraded = 0;
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            String status = upgradeFrom("127.0.0.2");
            if (status.equals("HTTP/1.1 101 Switching Protocols")) {
                upgraded++;
            } else {
                assertThat(status).isEqualTo("HTTP/1.1 429 Too Many Requests");
                refused++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(upgraded).as("a burst of 5, then 5 per second, over %.1f s", seconds)
                .isLessThanOrEqualTo(5 + (int) Math.ceil(seconds * 5));
        assertThat(upgraded + refused).isEqualTo(40);
        assertThat(upgradeFrom("127.0.0.3")).as("another address is not starved")
                .isEqualTo("HTTP/1.1 101 Switching Protocols");
        assertThat(upgradeFrom("127.0.0.4")).isEqualTo("HTTP/1.1 101 Switching Protocols");
    }

    @Test
    void offByDefault() throws Exception {
        start(AddressLimits.OFF);
        for (int i = 0; i < 20; i++) {
            assertThat(upgradeFrom("127.0.0.2")).isEqualTo("HTTP/1.1 101 Switching Protocols");
        }
        assertThat(WebSocketServer.builder()).extracting("addressLimits").isEqualTo(AddressLimits.OFF);
    }
}
