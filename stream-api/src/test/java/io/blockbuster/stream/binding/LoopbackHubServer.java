package io.blockbuster.stream.binding;

import io.blockbuster.stream.StreamHub;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The server side of the binding tests: a hub served on /ws of a free loopback port, two event
 * loops, inbound messages capped as {@link StreamBinding#serve} caps them. The tests' clients are
 * {@link RawClient} (misbehaving on purpose), websocket-core's client and the JDK's.
 */
final class LoopbackHubServer {
    private LoopbackHubServer() {
    }

    /** A started server for {@code hub}; {@code onOpen} hears each server-side connection first. */
    static WebSocketServer serve(StreamHub hub, Consumer<WebSocket> onOpen) throws IOException {
        WebSocketListener hubListener = StreamBinding.listener(hub);
        WebSocketServer server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .eventLoops(2)
                .limits(WebSocketLimits.builder().maxSizes(StreamBinding.MAX_INBOUND_MESSAGE_BYTES,
                        StreamBinding.MAX_INBOUND_MESSAGE_BYTES).build())
                .handler("/ws", new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket ws) {
                        onOpen.accept(ws);
                        hubListener.onOpen(ws);
                    }

                    @Override
                    public void onText(WebSocket ws, String text) {
                        hubListener.onText(ws, text);
                    }

                    @Override
                    public void onBinary(WebSocket ws, ByteBuffer data) {
                        hubListener.onBinary(ws, data);
                    }

                    @Override
                    public void onWritabilityChanged(WebSocket ws, boolean writable) {
                        hubListener.onWritabilityChanged(ws, writable);
                    }

                    @Override
                    public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
                        hubListener.onClose(ws, status, closedByPeer);
                    }
                })
                .build();
        server.start();
        return server;
    }
}
