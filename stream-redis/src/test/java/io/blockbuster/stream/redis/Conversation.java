package io.blockbuster.stream.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.json.Json;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketListener;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw JSON conversation with one hub node over a websocket-core client. */
final class Conversation {
    static final long WAIT_SECONDS = 60;

    final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    final WebSocket ws;

    Conversation(WebSocketClient client, URI uri) throws Exception {
        ws = client.connect(uri, new WebSocketListener() {
            @Override
            public void onText(WebSocket w, String text) {
                inbox.add(text);
            }

            @Override
            public void onClose(WebSocket w, CloseStatus status, boolean closedByPeer) {
                closed.complete(status);
            }
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(next()).containsEntry("type", "welcome");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> next() throws InterruptedException {
        String text = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(text).as("a message within " + WAIT_SECONDS + " s").isNotNull();
        return (Map<String, Object>) Json.parse(text);
    }

    /** Sends a request and returns the first reply (the caller knows nothing else is in flight). */
    Map<String, Object> ask(String request) throws InterruptedException {
        ws.sendText(request);
        return next();
    }

    /** The next {@code n} messages, which must all be data of {@code stream}. */
    java.util.List<Map<String, Object>> data(String stream, int n) throws InterruptedException {
        java.util.List<Map<String, Object>> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> m = next();
            assertThat(m).as("message " + i).containsEntry("type", stream);
            out.add(m);
        }
        return out;
    }
}
