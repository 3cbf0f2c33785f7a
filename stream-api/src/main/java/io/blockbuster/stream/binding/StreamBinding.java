package io.blockbuster.stream.binding;

import io.blockbuster.stream.HubConnection;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.client.StreamClient;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mounts a {@link StreamHub} on websocket-core, and connects {@link StreamClient}s through it: the
 * only place where the stream hub meets transport types.
 *
 * <pre>{@code
 * WebSocketServer server = StreamBinding.serve(hub, 8080, "/ws");          // one call
 * // or, on a server you configure yourself:
 * WebSocketServer.builder().port(8080).handler("/ws", StreamBinding.listener(hub)).build().start();
 * }</pre>
 */
public final class StreamBinding {
    /** Inbound messages larger than this are closed with 1009 by the transport (the hub answers smaller oversized requests with an error). */
    public static final int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024;


    private StreamBinding() {
    }

    /**
     * Builds, starts and returns a server on {@code port} (0 for a free one) serving {@code hub} on
     * {@code path}, with inbound messages capped at {@link #MAX_INBOUND_MESSAGE_BYTES}. Shut it down
     * with {@link WebSocketServer#close()}; the hub is closed separately.
     */
    public static WebSocketServer serve(StreamHub hub, int port, String path) throws IOException {
        WebSocketServer server = WebSocketServer.builder()
                .port(port)
                .limits(WebSocketLimits.builder().maxSizes(MAX_INBOUND_MESSAGE_BYTES, MAX_INBOUND_MESSAGE_BYTES).build())
                .handler(path, listener(hub))
                .build();
        server.start();
        return server;
    }

    /**
     * A listener that connects every WebSocket it hears about to {@code hub}: open becomes
     * {@link StreamHub#open}, text and binary messages become requests, writability and close are
     * passed on. One listener serves any number of connections.
     */
    public static WebSocketListener listener(StreamHub hub) {
        // Connections are found in a map of this listener's, not in ws.attributes(): that is a
        // ConcurrentHashMap per connection (~150 B of every idle connection), an entry here ~40 B.
        Map<WebSocket, HubConnection> connections = new ConcurrentHashMap<>();
        return new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                WebSocketStreamSession session = new WebSocketStreamSession(ws);
                HubConnection c = hub.open(session);
                connections.put(ws, c);
            }

            @Override
            public void onText(WebSocket ws, String text) {
                HubConnection c = connections.get(ws);
                if (c != null) {
                    c.receiveText(text);
                }
            }

            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                HubConnection c = connections.get(ws);
                if (c != null) {
                    c.receiveBinary();
                }
            }

            @Override
            public void onWritabilityChanged(WebSocket ws, boolean writable) {
                HubConnection c = connections.get(ws);
                if (writable && c != null) {
                    c.writable();
                }
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
                HubConnection c = connections.remove(ws);
                if (c != null) {
                    c.closed();
                }
            }
        };
    }

    /**
     * A {@link StreamClient} builder for {@code uri} over a new single-threaded {@link WebSocketClient}
     * that {@link StreamClient#close()} closes. Use {@link #connector(WebSocketClient)} to share one.
     */
    public static StreamClient.Builder client(URI uri) {
        WebSocketClient ws = WebSocketClient.builder().build();
        StreamClient.Connector shared = connector(ws);
        final class Owning implements StreamClient.Connector, AutoCloseable {
            @Override
            public CompletableFuture<StreamClient.Link> connect(URI target, StreamClient.LinkEvents events) {
                return shared.connect(target, events);
            }

            @Override
            public void close() {
                ws.close();
            }
        }
        return StreamClient.builder(uri, new Owning());
    }

    /** A {@link StreamClient.Connector} over {@code client}, which stays the caller's to close. */
    public static StreamClient.Connector connector(WebSocketClient client) {
        return (uri, events) -> {
            CompletableFuture<StreamClient.Link> result = new CompletableFuture<>();
            client.connect(uri, new WebSocketListener() {
                @Override
                public void onText(WebSocket ws, String text) {
                    events.onText(text);
                }

                @Override
                public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
                    events.onClosed(status.code(), status.reason());
                }
            }).whenComplete((ws, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(new StreamClient.Link() {
                        @Override
                        public void sendText(String text) {
                            ws.sendText(text);
                        }

                        @Override
                        public void close(int code, String reason) {
                            ws.close(code, reason);
                        }
                    });
                }
            });
            return result;
        };
    }
}
