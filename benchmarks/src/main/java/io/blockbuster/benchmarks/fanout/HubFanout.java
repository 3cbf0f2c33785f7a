package io.blockbuster.benchmarks.fanout;

import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.HubConnection;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.StreamSession;
import io.blockbuster.stream.StreamStats;
import io.blockbuster.stream.json.RawJson;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.HandshakeDecision;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Map;

/**
 * Fan-out through StreamHub: a {@link PushedSource} registered as {@code bench}, served over our
 * WebSocket server. Each published value is serialized once by the hub and framed once (the
 * {@link OutboundMessage} caches its {@link PreparedMessage}).
 *
 * <p>The binding below is the benchmark's own minimal one (StreamSession over a WebSocket), written
 * while the hub's StreamBinding had not landed; it does what a binding must and nothing more.
 */
final class HubFanout implements FanoutServer.Fanout {

    private final StreamHub hub;
    private final PushedSource source = new PushedSource();
    private final WebSocketServer server;

    private HubFanout(int port, int loops, int maxConnections) {
        hub = StreamHub.builder().build();
        // QUEUE delivery (events): every message reaches every subscriber unless it falls behind.
        hub.register("bench", source, StreamOptions.events());
        hub.start();
        server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(port)
                .eventLoops(loops)
                .limits(WebSocketLimits.DEFAULTS.withMaxConnections(maxConnections))
                .handler("/ws", request -> HandshakeDecision.accept(new Binding(
                        HandshakeInfo.of(request.request().target(), Map.of(), null))))
                .build();
    }

    static HubFanout start(int port, int loops, int maxConnections) {
        HubFanout fanout = new HubFanout(port, loops, maxConnections);
        try {
            fanout.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fanout;
    }

    /** One connection: WebSocket events into the hub, hub messages onto the WebSocket. */
    private final class Binding implements WebSocketListener, StreamSession {
        private final HandshakeInfo handshake;
        private volatile WebSocket socket;
        private HubConnection connection;

        Binding(HandshakeInfo handshake) {
            this.handshake = handshake;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            connection = hub.open(this);
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            connection.receiveText(text);
        }

        @Override
        public void onBinary(WebSocket webSocket, java.nio.ByteBuffer data) {
            connection.receiveBinary();
        }

        @Override
        public void onWritabilityChanged(WebSocket webSocket, boolean writable) {
            if (writable && connection != null) {
                connection.writable();
            }
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status, boolean closedByPeer) {
            if (connection != null) {
                connection.closed();
            }
        }

        @Override
        public HandshakeInfo handshake() {
            return handshake;
        }

        @Override
        public void send(OutboundMessage message) {
            socket.send(message.prepared(PreparedMessage.class, m -> PreparedMessage.text(m.text())));
        }

        @Override
        public boolean isWritable() {
            return socket.isWritable();
        }

        @Override
        public void close(int code, String reason) {
            socket.close(code, reason);
        }

        @Override
        public Map<String, Object> attributes() {
            return socket.attributes();
        }
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public int subscribers() {
        StreamStats stats = hub.stats().streams().get("bench");
        return stats == null ? 0 : stats.subscribers();
    }

    @Override
    public void publish(String json) {
        source.publish(RawJson.trusted(json));
    }

    @Override
    public void close() {
        server.close();
        hub.close();
    }

}
