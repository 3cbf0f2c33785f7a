package io.blockbuster.stream.binding;

import io.blockbuster.stream.Fanout;
import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.StreamSession;
import io.blockbuster.websocket.Handshake;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.RequestHead;
import io.blockbuster.websocket.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A websocket-core connection as a {@link StreamSession}. Each {@link OutboundMessage} is turned into
 * one {@link PreparedMessage} straight from its UTF-8 bytes (no {@code String} in between), cached in
 * the message, so a published value is serialized once, framed once, and every connection writes the
 * same frame bytes.
 *
 * <p>Backpressure: not writable while the connection is above its high watermark; the transport
 * reports every change back to writable to the listener, which tells the hub
 * ({@link io.blockbuster.stream.HubConnection#writable()}), so nothing per send is kept here.
 */
final class WebSocketStreamSession implements StreamSession {
    private final WebSocket webSocket;

    WebSocketStreamSession(WebSocket webSocket) {
        this.webSocket = webSocket;
    }

    private static HandshakeInfo handshakeOf(WebSocket ws) {
        Handshake handshake = ws.handshake();
        RequestHead request = handshake.request();
        // Case-insensitive, as the request compares names; values of one name keep their order.
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String target = "/";
        if (request != null) {
            target = request.target();
            for (String name : request.headerNames()) {
                headers.put(name, request.headers(name));
            }
        }
        try {
            return HandshakeInfo.of(target, headers, handshake.remoteAddress());
        } catch (IllegalArgumentException badTarget) {
            return new HandshakeInfo("/", Map.of(), headers, handshake.remoteAddress());
        }
    }

    /**
     * Derived from the transport's request on every call, not kept: the transport already holds the
     * raw request head, and a copy per connection was about 2 KB of an idle connection's heap. The
     * hub asks only when a connection opens and when it subscribes, so the re-parse is rare.
     */
    @Override
    public HandshakeInfo handshake() {
        return handshakeOf(webSocket);
    }

    @Override
    public void send(OutboundMessage message) {
        webSocket.send(message.prepared(PreparedMessage.class, m -> PreparedMessage.textUtf8(m.payload())));
    }

    @Override
    public boolean isWritable() {
        return webSocket.isWritable();
    }

    /** A {@link io.blockbuster.websocket.WebSocketGroup} per stream: the hub delivers on each connection's loop. */
    @Override
    public Fanout fanout() {
        return WebSocketFanout.INSTANCE;
    }

    WebSocket webSocket() {
        return webSocket;
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
