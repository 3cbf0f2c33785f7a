package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.CloseCodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.websocket.protocol.Opcode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * The transport's Flight Recorder events, recorded with a {@link RecordingStream} while real
 * clients connect, get refused and read too slowly. (That they cost nothing while no recording
 * enables them: {@code internal.TransportEventsAllocationTest}.)
 */
class FlightRecorderEventsTest {
    private static final String PREFIX = "io.blockbuster.websocket.";
    private static final long WAIT_SECONDS = 60;

    @Test
    void connectionsRejectionsAndSlowPeersAreRecorded() throws Exception {
        BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        CompletableFuture<WebSocket> stuck = new CompletableFuture<>();
        WebSocketServer server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .limits(WebSocketLimits.builder().writeBuffer(16 * 1024, 64 * 1024, 256 * 1024).build())
                .handler("/echo", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket ws, String text) {
                        ws.sendText(text);
                    }
                })
                .handler("/stuck", new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket ws) {
                        stuck.complete(ws);
                    }
                })
                .build();
        try (RecordingStream recording = new RecordingStream()) {
            for (String name : new String[] {"ConnectionOpened", "ConnectionClosed", "HandshakeRejected", "SlowPeerClosed"}) {
                recording.enable(PREFIX + name);
                recording.onEvent(PREFIX + name, events::add);
            }
            recording.startAsync();
            server.start();

            // An echo over the JDK's client, closed with 1000.
            CompletableFuture<String> echoed = new CompletableFuture<>();
            java.net.http.WebSocket jdk = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                            echoed.complete(data.toString());
                            return null;
                        }
                    }).get(WAIT_SECONDS, TimeUnit.SECONDS);
            jdk.sendText("hello", true);
            assertThat(echoed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("hello");
            jdk.sendClose(1000, "done").get(WAIT_SECONDS, TimeUnit.SECONDS);

            RecordedEvent opened = next(events, e -> e.getEventType().getName().equals(PREFIX + "ConnectionOpened")
                    && e.getBoolean("server"));
            assertThat(opened.getString("path")).isEqualTo("/echo");
            assertThat(opened.getString("remote")).contains("127.0.0.1");
            RecordedEvent closed = next(events, e -> e.getEventType().getName().equals(PREFIX + "ConnectionClosed")
                    && "/echo".equals(e.getString("path")));
            assertThat(closed.getInt("closeCode")).isEqualTo(1000);
            assertThat(closed.getBoolean("closedByPeer")).isTrue();
            assertThat(closed.getLong("bytesIn")).as("handshake + text + close").isGreaterThan(100);
            assertThat(closed.getLong("bytesOut")).as("101 response + echo + close").isGreaterThan(100);
            assertThat(closed.getLong("connectedFor")).isPositive();

            // A request for a path with no handler.
            try (RawClient raw = new RawClient(server.port())) {
                raw.write(RawClient.upgradeRequest("/nowhere").getBytes(StandardCharsets.ISO_8859_1));
                assertThat(raw.readHead()).startsWith("HTTP/1.1 404");
            }
            RecordedEvent rejected = next(events, e -> e.getEventType().getName().equals(PREFIX + "HandshakeRejected"));
            assertThat(rejected.getInt("status")).isEqualTo(404);
            assertThat(rejected.getString("reason")).isNotBlank();

            // A peer that never reads while the server keeps sending.
            try (RawClient raw = new RawClient(server.port(), 4096)) {
                raw.handshake("/stuck");
                raw.sendFrame(true, Opcode.TEXT, "stuck".getBytes(StandardCharsets.UTF_8));
                WebSocket slow = stuck.get(WAIT_SECONDS, TimeUnit.SECONDS);
                ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
                for (int i = 0; i < 10_000 && slow.isOpen(); i++) {
                    slow.sendBinary(chunk.clear());
                }
                RecordedEvent slowPeer = next(events, e -> e.getEventType().getName().equals(PREFIX + "SlowPeerClosed"));
                assertThat(slowPeer.getInt("closeCode")).isEqualTo(CloseCodes.POLICY_VIOLATION);
                assertThat(slowPeer.getLong("maxBufferedBytes")).isEqualTo(256 * 1024);
            }
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    /** The next event {@code wanted} accepts (others are skipped); fails after a generous wait. */
    private static RecordedEvent next(BlockingQueue<RecordedEvent> events, Predicate<RecordedEvent> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            RecordedEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("an expected Flight Recorder event within " + WAIT_SECONDS + " s").isNotNull();
            if (wanted.test(e)) {
                return e;
            }
        }
    }
}
