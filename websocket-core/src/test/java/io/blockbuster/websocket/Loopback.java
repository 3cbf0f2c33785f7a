package io.blockbuster.websocket;

import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The one loopback server + client fixture of this module's tests: a server on 127.0.0.1 with two
 * event loops (so loop hand-offs are exercised), over ws:// or wss:// (the test certificate of
 * {@link Tls}), a client made on first use, both shut down by {@link #close()} (call it from
 * {@code @AfterEach}).
 */
public final class Loopback implements AutoCloseable {
    /** Echoes every text and binary message back to its sender. */
    public static final WebSocketListener ECHO = new WebSocketListener() {
        @Override
        public void onText(WebSocket ws, String text) {
            ws.sendText(text);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            ws.sendBinary(ByteBuffer.allocate(data.remaining()).put(data).flip());
        }
    };

    private final WebSocketServer server;
    private final WebSocketClient.Builder clientBuilder;
    private final boolean tls;
    private WebSocketClient client;

    private Loopback(WebSocketServer server, WebSocketClient.Builder clientBuilder, boolean tls) {
        this.server = server;
        this.clientBuilder = clientBuilder;
        this.tls = tls;
    }

    /** Starts a server configured by {@code server} (bind address and loops are set first, and may be overridden). */
    public static Loopback start(Consumer<WebSocketServer.Builder> server) throws Exception {
        return start(server, WebSocketClient.builder());
    }

    /** As {@link #start(Consumer)}, with the client built from {@code client} when first used. */
    public static Loopback start(Consumer<WebSocketServer.Builder> server, WebSocketClient.Builder client)
            throws Exception {
        return start(false, server, client);
    }

    /** As {@link #start(Consumer, WebSocketClient.Builder)}, over wss:// when {@code tls} (server and client). */
    public static Loopback start(boolean tls, Consumer<WebSocketServer.Builder> server, WebSocketClient.Builder client)
            throws Exception {
        WebSocketServer.Builder b = WebSocketServer.builder().bindAddress(InetAddress.getLoopbackAddress()).eventLoops(2);
        if (tls) {
            b.tls(Tls.server());
            client.tls(Tls.client());
        }
        server.accept(b);
        WebSocketServer s = b.build();
        s.start();
        return new Loopback(s, client, tls);
    }

    public WebSocketServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** {@code ws://localhost:port} (or {@code wss://}) + {@code path}. */
    public URI uri(String path) {
        return URI.create((tls ? "wss" : "ws") + "://localhost:" + server.port() + path);
    }

    /** The client, built on first use. */
    public synchronized WebSocketClient client() {
        if (client == null) {
            client = clientBuilder.build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
        server.shutdown(Duration.ofSeconds(5));
    }
}
