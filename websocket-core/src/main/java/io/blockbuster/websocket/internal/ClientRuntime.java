package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.protocol.ClientHandshake;
import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.Role;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The running part of a client: event loops started on first use, and the live connections. */
public final class ClientRuntime {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");

    private final ClientSettings settings;
    /** The assembler's limits, one instance for every connection (not 32 bytes more in each idle one). */
    private final ProtocolLimits protocolLimits;
    private final SecureRandom random = new SecureRandom();
    private final FrameEncoder encoder = FrameEncoder.forRole(Role.CLIENT);
    private final Set<LoopConnection> connections = ConcurrentHashMap.newKeySet();
    private EventLoop[] loops;
    private int nextLoop;
    private boolean closed;

    private final boolean daemon;

    public ClientRuntime(ClientSettings settings, boolean daemon) {
        this.settings = settings;
        this.protocolLimits = new ProtocolLimits(settings.limits().maxFramePayloadBytes(), settings.limits().maxMessageBytes());
        this.daemon = daemon;
    }

    /** One connection being opened: what the connection needs to finish its handshake. */
    static final class Attempt {
        final ClientRuntime runtime;
        final ClientHandshake handshake;
        final WebSocketListener listener;
        final CompletableFuture<WebSocket> future = new CompletableFuture<>();

        Attempt(ClientRuntime runtime, ClientHandshake handshake, WebSocketListener listener) {
            this.runtime = runtime;
            this.handshake = handshake;
            this.listener = listener;
        }
    }

    public CompletableFuture<WebSocket> connect(URI uri, Map<String, List<String>> headers, List<String> subprotocols,
                                                WebSocketListener listener) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(listener, "listener");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure;
        if (scheme.equals("ws")) {
            secure = false;
        } else if (scheme.equals("wss")) {
            secure = true;
        } else {
            throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        if (uri.getFragment() != null) {
            throw new IllegalArgumentException("fragment not allowed in a WebSocket URI: " + uri);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        Map<String, List<String>> allHeaders = new LinkedHashMap<>(settings.headers());
        headers.forEach((k, v) -> allHeaders.merge(k, v, (a, b) -> {
            List<String> both = new ArrayList<>(a);
            both.addAll(b);
            return both;
        }));
        List<String> protocols = subprotocols.isEmpty() ? settings.subprotocols() : subprotocols;
        ClientHandshake handshake = new ClientHandshake(uri, allHeaders, protocols, settings.extensions(), random);
        Attempt attempt = new Attempt(this, handshake, listener);
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
        if (address.isUnresolved()) {
            return CompletableFuture.failedFuture(new java.net.UnknownHostException(uri.getHost()));
        }
        EventLoop loop = nextLoop();
        if (loop == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("client closed"));
        }
        loop.execute(() -> open(loop, attempt, address, secure, uri.getHost(), port));
        return attempt.future;
    }

    private synchronized EventLoop nextLoop() {
        if (closed) {
            return null;
        }
        if (loops == null) {
            loops = new EventLoop[settings.eventLoops()];
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new EventLoop("blockbuster-client-" + i, daemon);
                loops[i].start();
            }
            LOG.log(Level.DEBUG, "WebSocket client started {0} event loops", loops.length);
        }
        EventLoop loop = loops[nextLoop];
        nextLoop = (nextLoop + 1) % loops.length;
        return loop;
    }

    private void open(EventLoop loop, Attempt attempt, InetSocketAddress address, boolean secure, String host, int port) {
        SocketChannel ch = null;
        LoopConnection c = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Transport transport;
            if (secure) {
                SSLContext context = settings.tls() != null ? settings.tls() : SSLContext.getDefault();
                SSLEngine engine = context.createSSLEngine(host, port);
                engine.setUseClientMode(true);
                SSLParameters params = engine.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(params);
                transport = new TlsTransport(ch, engine, loop.pool(), null, loop); // a client handshakes rarely: inline
            } else {
                transport = new PlainTransport(ch, loop.writeStage());
            }
            c = new LoopConnection(loop, ch, transport, Role.CLIENT, settings.limits(), protocolLimits, encoder, null, attempt, address);
            connections.add(c);
            c.startClient(address, settings.connectTimeout().toNanos());
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            attempt.future.completeExceptionally(e);
            if (c != null) {
                c.abort();
            } else if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    void removed(LoopConnection c) {
        connections.remove(c);
    }

    public void close() {
        EventLoop[] toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = loops;
        }
        if (toStop == null) {
            return;
        }
        for (LoopConnection c : connections) {
            c.abort();
        }
        for (EventLoop loop : toStop) {
            loop.stop();
        }
        for (EventLoop loop : toStop) {
            if (loop.inLoop()) {
                continue; // closed from one of our own callbacks: that loop ends after this task
            }
            try {
                loop.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.log(Level.DEBUG, "WebSocket client stopped");
    }
}
