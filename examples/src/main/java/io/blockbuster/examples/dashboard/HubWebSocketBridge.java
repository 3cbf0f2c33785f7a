package io.blockbuster.examples.dashboard;

import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.HubConnection;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamSession;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import io.blockbuster.websocket.protocol.HttpHeaders;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mounts a {@link StreamHub} on a websocket-core server: each WebSocket connection becomes a
 * {@link StreamSession}, and the connection's events go to the hub's {@link HubConnection}.
 * Temporary stand-in for the stream-api binding while that is not merged.
 */
final class HubWebSocketBridge implements WebSocketListener {

    private static final String CONNECTION = HubConnection.class.getName();

    private final StreamHub hub;

    private HubWebSocketBridge(StreamHub hub) {
        this.hub = hub;
    }

    /** Starts a WebSocket server on {@code address} serving {@code hub} at {@code path}. */
    static WebSocketServer serve(StreamHub hub, InetSocketAddress address, String path) throws IOException {
        WebSocketServer server = WebSocketServer.builder()
                .bindAddress(address.getAddress())
                .port(address.getPort())
                .handler(path, new HubWebSocketBridge(hub))
                .build();
        server.start();
        return server;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.attributes().put(CONNECTION, hub.open(new Session(webSocket)));
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        connection(webSocket).receiveText(text);
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        connection(webSocket).receiveBinary();
    }

    @Override
    public void onWritabilityChanged(WebSocket webSocket, boolean writable) {
        if (writable) {
            connection(webSocket).writable();
        }
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status, boolean closedByPeer) {
        HubConnection c = (HubConnection) webSocket.attributes().get(CONNECTION);
        if (c != null) {
            c.closed();
        }
    }

    private static HubConnection connection(WebSocket webSocket) {
        return (HubConnection) webSocket.attributes().get(CONNECTION);
    }

    private static final class Session implements StreamSession {
        private final WebSocket webSocket;
        private final HandshakeInfo handshake;

        Session(WebSocket webSocket) {
            this.webSocket = webSocket;
            HttpHeaders headers = webSocket.request().headers();
            Map<String, List<String>> copy = new LinkedHashMap<>();
            for (String name : headers.names()) {
                copy.put(name, headers.all(name));
            }
            this.handshake = HandshakeInfo.of(webSocket.request().target(), copy, webSocket.remoteAddress());
        }

        @Override
        public HandshakeInfo handshake() {
            return handshake;
        }

        @Override
        public void send(OutboundMessage message) {
            // One frame encoded per message, shared by every subscriber's connection.
            webSocket.send(message.prepared(PreparedMessage.class, m -> PreparedMessage.text(m.text())));
        }

        @Override
        public boolean isWritable() {
            return webSocket.isWritable();
        }

        @Override
        public void close(int code, String reason) {
            webSocket.close(code, reason);
        }

        @Override
        public Map<String, Object> attributes() {
            return webSocket.attributes();
        }
    }
}
