package io.blockbuster.benchmarks.fanout;

import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketGroup;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import io.blockbuster.websocket.CloseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fan-out on the bare transport: a subscriber set and one {@link PreparedMessage} (encoded once)
 * sent to every member, from the publishing thread ({@code raw}) or through a
 * {@link WebSocketGroup} ({@code group}, the broadcast API the docs recommend). No stream protocol
 * beyond recognising the subscribe request; the yardstick for what the hub adds.
 */
final class RawFanout implements FanoutServer.ServerUnderTest {

    private final WebSocketServer server;
    private final Set<WebSocket> subscribers = ConcurrentHashMap.newKeySet();
    /** Null: send from the publishing thread. */
    private final WebSocketGroup<PreparedMessage> group;

    private RawFanout(int port, int loops, int maxConnections, WebSocketGroup<PreparedMessage> group) {
        this.group = group;
        WebSocketListener listener = new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                if (text.contains("\"subscribe\"")) {
                    subscribers.add(webSocket);
                    if (group != null) {
                        group.add(webSocket);
                    }
                    webSocket.sendText("{\"type\":\"subscribed\",\"stream\":\"bench\"}");
                }
            }

            @Override
            public void onClose(WebSocket webSocket, CloseStatus status, boolean closedByPeer) {
                subscribers.remove(webSocket);
                if (group != null) {
                    group.remove(webSocket);
                }
            }
        };
        server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(port)
                .eventLoops(loops)
                .limits(WebSocketLimits.builder().maxConnections(maxConnections).build())
                .handler("/ws", listener)
                .build();
    }

    /** {@code grouped}: broadcast through a {@link WebSocketGroup} (overload policy CLOSE_SLOW_PEER: nothing skipped). */
    static RawFanout start(int port, int loops, int maxConnections, boolean grouped) {
        RawFanout fanout = new RawFanout(port, loops, maxConnections,
                grouped ? WebSocketGroup.create(WebSocketGroup.Overload.CLOSE_SLOW_PEER) : null);
        try {
            fanout.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fanout;
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public int subscribers() {
        return subscribers.size();
    }

    @Override
    public void publish(String json) {
        PreparedMessage message = PreparedMessage.text(
                "{\"type\":\"data\",\"stream\":\"bench\",\"data\":" + json + "}");
        if (group != null) {
            group.broadcast(message);
            return;
        }
        for (WebSocket socket : subscribers) {
            socket.send(message);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
