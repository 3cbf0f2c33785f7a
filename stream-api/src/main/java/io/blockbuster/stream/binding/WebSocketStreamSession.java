package io.blockbuster.stream.binding;

import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.HubConnection;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.StreamSession;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.protocol.HttpRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A websocket-core connection as a {@link StreamSession}. Each {@link OutboundMessage} is turned into
 * one {@link PreparedMessage} straight from its UTF-8 bytes (no {@code String} in between), cached in
 * the message, so a published value is serialized once, framed once, and every connection writes the
 * same frame bytes.
 *
 * <p>Backpressure: not writable while the connection is above its high watermark, unless its last
 * send has already completed (then nothing is buffered, whatever the flag says). When it reports not
 * writable it also arms a one-shot wake-up on the last send's future, so the hub hears
 * {@link HubConnection#writable()} even if a transport drains before it reports the crossing (early
 * websocket-core builds did; the extra wake-up costs one no-op drain).
 */
final class WebSocketStreamSession implements StreamSession {
    private final WebSocket webSocket;
    // A volatile field behind a VarHandle, not an AtomicBoolean object per connection (idle footprint).
    private static final VarHandle WAKEUP_ARMED;

    static {
        try {
            WAKEUP_ARMED = MethodHandles.lookup().findVarHandle(WebSocketStreamSession.class, "wakeupArmed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile boolean wakeupArmed;
    private volatile CompletableFuture<Void> lastSend = CompletableFuture.completedFuture(null);
    private volatile HubConnection connection;

    WebSocketStreamSession(WebSocket webSocket) {
        this.webSocket = webSocket;
    }

    private static HandshakeInfo handshakeOf(WebSocket ws) {
        HttpRequest request = ws.request();
        // Case-insensitive here already, so values of one name keep their order of arrival.
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String target = "/";
        if (request != null) {
            target = request.target();
            request.headers().forEach((name, value) -> headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value));
        }
        try {
            return HandshakeInfo.of(target, headers, ws.remoteAddress());
        } catch (IllegalArgumentException badTarget) {
            return new HandshakeInfo("/", Map.of(), headers, ws.remoteAddress());
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

    /** Called once the hub returned the connection; delivers a wake-up armed before that. */
    void connect(HubConnection c) {
        connection = c;
        if (wakeupArmed && lastSend.isDone()) {
            c.writable();
        }
    }

    @Override
    public void send(OutboundMessage message) {
        lastSend = webSocket.send(message.prepared(PreparedMessage.class, m -> PreparedMessage.textUtf8(m.payload())));
    }

    @Override
    public boolean isWritable() {
        if (webSocket.isWritable()) {
            return true;
        }
        CompletableFuture<Void> last = lastSend;
        if (last.isDone()) {
            return true;
        }
        if (WAKEUP_ARMED.compareAndSet(this, false, true)) {
            last.whenComplete((ignored, error) -> {
                wakeupArmed = false;
                HubConnection c = connection;
                if (c != null) {
                    c.writable();
                }
            });
        }
        return false;
    }

    @Override
    public void flush() {
        webSocket.flush();
    }

    /** The connection's event loop: the hub delivers there, one task per loop per publish. */
    @Override
    public Executor executor() {
        return webSocket.executor();
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
