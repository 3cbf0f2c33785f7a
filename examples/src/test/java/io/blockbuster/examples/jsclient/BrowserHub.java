package io.blockbuster.examples.jsclient;

import io.blockbuster.examples.support.LoopbackPorts;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.binding.StreamBinding;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.HttpReply;
import io.blockbuster.websocket.RequestHead;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A real {@link StreamHub} on a real websocket-core server for the browser client's tests, with what
 * the browser loads on the same port: a page whose import map names the client and its hooks as a
 * host serves them from the stream-api jar (webjar), React from the example's bundle, and the test
 * harness. Two streams the test publishes to: {@link #EVENTS} (QUEUE, resumable) and {@link #STATE}
 * (LATEST). The hub is mounted at two paths, {@link #MAIN} and {@link #WITNESS}, so that a test can
 * close one client's connections with a chosen code and not the other's. The server can be stopped
 * and started again on the same port while the hub (and its epoch and history) lives on.
 */
final class BrowserHub implements AutoCloseable {

    static final String EVENTS = "events";
    static final String STATE = "state";
    static final String MAIN = "/ws";
    static final String WITNESS = "/witness";

    private static final Pattern WEBJAR = Pattern.compile("/webjars/blockbuster-client/\\d[\\w.-]*/[\\w-]+\\.js");
    private static final Map<String, String> FILES = Map.of(
            "/react/vendor/react.js", "dashboard/react/vendor/react.js",
            "/harness.js", "jsclient/harness.js");
    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>blockbuster-client test</title>
            <script type="importmap">{"imports": {
              "react": "/react/vendor/react.js",
              "react-dom/client": "/react/vendor/react.js",
              "blockbuster-client": "/webjars/blockbuster-client/0.1.0/blockbuster-client.js",
              "blockbuster-client/react": "/webjars/blockbuster-client/0.1.0/react.js"}}</script>
            <script type="module">import '/harness.js';</script>
            <div id="root"></div>
            """;

    final StreamHub hub = StreamHub.builder().build();
    final PushedSource events = new PushedSource();
    final PushedSource state = new PushedSource();
    final int port;
    private final WebSocketListener endpoint = StreamBinding.listener(hub);
    private final Map<String, Set<WebSocket>> open = Map.of(MAIN, ConcurrentHashMap.newKeySet(),
            WITNESS, ConcurrentHashMap.newKeySet());
    private WebSocketServer server;

    BrowserHub() throws IOException {
        hub.register(EVENTS, events);
        hub.register(STATE, state, StreamOptions.state());
        hub.start();
        port = LoopbackPorts.free();
        start();
    }

    /** Starts the WebSocket and HTTP server on {@link #port} (again). */
    void start() throws IOException {
        server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(port)
                .eventLoops(1)
                .handler(MAIN, new Tracking(open.get(MAIN)))
                .handler(WITNESS, new Tracking(open.get(WITNESS)))
                .httpHandler(BrowserHub::serve)
                .build();
        server.start();
    }

    /** Stops the server (clients see 1001); the hub, its epoch and history stay. */
    void stop() {
        server.shutdown(Duration.ofSeconds(5));
    }

    /** Closes every open connection at {@code path} from the server's side with {@code code}. */
    void closeConnections(String path, int code) {
        for (WebSocket ws : open.get(path)) {
            ws.close(code, "closed by the test");
        }
    }

    String pageUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    String wsUrl(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    /** Connections the hub has now. */
    int connections() {
        return hub.stats().connections();
    }

    /** Connections ever opened to the hub. */
    long connectionsOpened() {
        return hub.stats().connectionsOpened();
    }

    int subscribers(String stream) {
        return hub.stats().streams().get(stream).subscribers();
    }

    @Override
    public void close() {
        stop();
        hub.close();
    }

    private static HttpReply serve(RequestHead request) {
        String path = request.path();
        if (path.equals("/")) {
            return new HttpReply(200, "text/html; charset=utf-8", PAGE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String resource = FILES.get(path);
        if (resource == null && WEBJAR.matcher(path).matches()) {
            resource = "META-INF/resources" + path;
        }
        if (resource == null) {
            return HttpReply.text(404, "not found");
        }
        try (InputStream in = BrowserHub.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? HttpReply.text(404, "not on the class path: " + resource)
                    : new HttpReply(200, "text/javascript; charset=utf-8", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hub's endpoint, keeping the open connections so that the test can close them. */
    private final class Tracking implements WebSocketListener {
        private final Set<WebSocket> open;

        Tracking(Set<WebSocket> open) {
            this.open = open;
        }

        @Override
        public void onOpen(WebSocket ws) {
            open.add(ws);
            endpoint.onOpen(ws);
        }

        @Override
        public void onText(WebSocket ws, String text) {
            endpoint.onText(ws, text);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            endpoint.onBinary(ws, data);
        }

        @Override
        public void onWritabilityChanged(WebSocket ws, boolean writable) {
            endpoint.onWritabilityChanged(ws, writable);
        }

        @Override
        public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
            open.remove(ws);
            endpoint.onClose(ws, status, closedByPeer);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            endpoint.onError(ws, error);
        }
    }
}
