package io.blockbuster.stream.binding;

import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.StreamSession;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.protocol.HttpHeaders;
import io.blockbuster.websocket.protocol.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A websocket-core connection as a {@link StreamSession}. Each {@link OutboundMessage} is turned into
 * one {@link PreparedMessage}, cached in the message, so a published value is framed once and every
 * connection writes the same frame bytes.
 */
final class WebSocketStreamSession implements StreamSession {
    private final WebSocket webSocket;
    private final HandshakeInfo handshake;

    WebSocketStreamSession(WebSocket webSocket) {
        this.webSocket = webSocket;
        this.handshake = handshakeOf(webSocket);
    }

    private static HandshakeInfo handshakeOf(WebSocket ws) {
        HttpRequest request = ws.request();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String target = "/";
        if (request != null) {
            target = request.target();
            HttpHeaders h = request.headers();
            for (String name : h.names()) {
                headers.put(name, h.all(name));
            }
        }
        try {
            return HandshakeInfo.of(target, headers, ws.remoteAddress());
        } catch (IllegalArgumentException badTarget) {
            return new HandshakeInfo("/", Map.of(), headers, ws.remoteAddress());
        }
    }

    @Override
    public HandshakeInfo handshake() {
        return handshake;
    }

    @Override
    public void send(OutboundMessage message) {
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
