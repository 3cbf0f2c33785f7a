package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketListener;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The running part of a client: event loops and connections. */
public final class ClientRuntime {
    private final ClientSettings settings;

    public ClientRuntime(ClientSettings settings) {
        this.settings = settings;
    }

    public CompletableFuture<WebSocket> connect(URI uri, Map<String, List<String>> headers, List<String> subprotocols,
                                                WebSocketListener listener) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not yet"));
    }

    public void close() {
    }
}
