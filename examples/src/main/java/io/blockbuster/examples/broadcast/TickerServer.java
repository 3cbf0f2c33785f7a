package io.blockbuster.examples.broadcast;

import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketGroup;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;

import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Broadcasts a price ten times a second to every connection on {@code /ticker}, through a
 * {@link WebSocketGroup}: the bare-transport way to send one message to many connections (the
 * README's broadcast snippet is this program's {@code main}).
 *
 * <pre>
 * java -cp ... io.blockbuster.examples.broadcast.TickerServer
 * </pre>
 */
public final class TickerServer {

    private TickerServer() {
    }

    public static void main(String[] args) throws Exception {
        WebSocketGroup<PreparedMessage> tickers = WebSocketGroup.create(WebSocketGroup.Overload.LATEST);
        WebSocketServer server = WebSocketServer.builder()
                .port(9002)
                .handler("/ticker", new WebSocketListener() {
                    @Override public void onOpen(WebSocket ws) { tickers.add(ws); }
                    @Override public void onClose(WebSocket ws, CloseStatus status, boolean byPeer) { tickers.remove(ws); }
                })
                .build();
        server.start();
        Executors.newSingleThreadScheduledExecutor().scheduleAtFixedRate(() -> tickers.broadcast( // any thread
                PreparedMessage.text("{\"price\":" + ThreadLocalRandom.current().nextInt(100, 200) + "}")), // framed once
                0, 100, TimeUnit.MILLISECONDS);
    }
}
