package io.blockbuster.websocket;

import io.blockbuster.websocket.internal.ServerRuntime;
import io.blockbuster.websocket.internal.ServerSettings;
import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.protocol.ExtensionFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A non-blocking WebSocket server: a few event-loop threads, each with one selector, serve every
 * connection (no thread per connection). Build one with {@link #builder()}, then {@link #start()}
 * it:
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .port(9001)
 *         .handler("/echo", new WebSocketListener() {
 *             public void onText(WebSocket ws, String text) { ws.sendText(text); }
 *         })
 *         .build();
 * server.start();
 * }</pre>
 *
 * <p>Requests to paths with no handler get {@code 404}; requests that are not WebSocket upgrades
 * get {@code 426 Upgrade Required} unless an {@link Builder#httpHandler HttpHandler} answers them.
 * Each connection stays on one event loop for its life; its listener callbacks run there.
 *
 * <p>Thread safe. {@link #shutdown(Duration)} is graceful: it stops accepting, sends close
 * {@code 1001} to every connection, waits for their close handshakes up to the given time, drops
 * the rest and stops every thread it started.
 *
 * <p>Lifecycle: the event-loop threads are not daemon threads (unless
 * {@link Builder#daemonThreads}), so a started server keeps the JVM alive until it is shut down;
 * {@link #awaitTermination()} waits for that, and {@link Builder#stopAtShutdown} shuts it down
 * with {@code 1001} when the JVM exits.
 */
public final class WebSocketServer implements AutoCloseable {

    static {
        PreparedMessageAccess.ensureInstalled(); // before any connection can send a PreparedMessage
    }

    private final ServerRuntime runtime;
    /** The JVM shutdown hook that stops this server, or null when the builder did not ask for one. */
    private final Thread shutdownHook;

    private WebSocketServer(ServerSettings settings, boolean daemonThreads, boolean stopAtShutdown) {
        this.runtime = new ServerRuntime(settings, daemonThreads);
        this.shutdownHook = stopAtShutdown ? new Thread(this::close, "blockbuster-server-shutdown") : null;
    }

    /** Returns a builder with the defaults: any address, a free port, one loop per processor. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts the event loops. Returns when the server accepts connections.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException when called twice
     */
    public void start() throws IOException {
        runtime.start();
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Blocks until the server has shut down (from another thread, a shutdown hook, or because it
     * was never started and {@link #shutdown} was called). A {@code main} that only serves ends
     * with this.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitTermination() throws InterruptedException {
        while (!runtime.awaitTermination(Duration.ofDays(1))) {
            // wait on: a server may run for longer than a day
        }
    }

    /**
     * Waits up to {@code timeout} for the server to shut down.
     *
     * @return true when it has shut down, false when the time passed first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return runtime.awaitTermination(timeout);
    }

    /** The bound port (the actual one when the builder asked for port 0). Valid after {@link #start()}. */
    public int port() {
        return runtime.address().getPort();
    }

    /** The bound address. Valid after {@link #start()}. */
    public InetSocketAddress address() {
        return runtime.address();
    }

    /** Connections open or handshaking right now. */
    public int connectionCount() {
        return runtime.connectionCount();
    }

    /** A snapshot of the server's counters (rendered for Prometheus by the stream binding's {@code PrometheusText}). */
    public ServerStats stats() {
        return new ServerStats(runtime.connectionCount(), runtime.connectionsOpened(), runtime.slowPeersClosed(),
                runtime.handshakesRejected());
    }

    /**
     * Stops gracefully: stops accepting, sends close {@code 1001 "server shutting down"} to every
     * open connection, waits up to {@code grace} for the close handshakes, drops the connections
     * left, then stops every event-loop thread and closes every socket. Blocks until done.
     * Idempotent.
     *
     * @throws IllegalStateException when called from one of this server's callbacks (an event-loop
     *                               thread cannot wait for itself)
     */
    public void shutdown(Duration grace) {
        runtime.shutdown(grace);
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException jvmAlreadyShuttingDown) {
                // the hook runs (or ran) anyway; shutdown is idempotent
            }
        }
    }

    /** {@link #shutdown(Duration)} with the configured close timeout. */
    @Override
    public void close() {
        shutdown(runtime.settings().limits().closeTimeout());
    }

    /** Collects the settings of a {@link WebSocketServer}. Not thread safe. */
    public static final class Builder {
        private InetAddress bindAddress;
        private int port;
        private final Map<String, WebSocketHandler> handlers = new LinkedHashMap<>();
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private WebSocketLimits limits = WebSocketLimits.DEFAULTS;
        private SSLContext tls;
        private final Set<String> origins = new LinkedHashSet<>();
        private final List<String> subprotocols = new ArrayList<>();
        private final List<ExtensionFactory> extensions = new ArrayList<>();
        private HttpHandler httpHandler;
        private boolean daemonThreads;
        private boolean stopAtShutdown;
        private AddressLimits addressLimits = AddressLimits.OFF;

        private Builder() {
        }

        /** The local address to bind; default: every interface. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        /** The port to bind, 0 (the default) for a free one; read it back with {@link WebSocketServer#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port);
            }
            this.port = port;
            return this;
        }

        /** Accepts every upgrade on {@code path} (exact match, no query) with one shared listener. */
        public Builder handler(String path, WebSocketListener listener) {
            Objects.requireNonNull(listener, "listener");
            return handler(path, request -> HandshakeDecision.accept(listener));
        }

        /** Lets {@code handler} decide about each upgrade on {@code path} (exact match, no query). */
        public Builder handler(String path, WebSocketHandler handler) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(handler, "handler");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/': " + path);
            }
            handlers.put(path, handler);
            return this;
        }

        /** Number of event-loop threads; default: available processors. */
        public Builder eventLoops(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("eventLoops must be >= 1");
            }
            this.eventLoops = count;
            return this;
        }

        /** Limits and timers; default {@link WebSocketLimits#DEFAULTS}. */
        public Builder limits(WebSocketLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Serves wss:// with this context (server mode SSLEngines); default: plain ws://. */
        public Builder tls(SSLContext context) {
            this.tls = context;
            return this;
        }

        /**
         * Accepts upgrades only from these Origin values (compared case-insensitively, e.g.
         * {@code "https://example.com"}); others get {@code 403}. Default: any origin, and requests
         * without an Origin header. Once set, a request without Origin is refused too.
         */
        public Builder allowedOrigins(String... origins) {
            for (String o : origins) {
                this.origins.add(o.toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /**
         * Subprotocols the server speaks, in preference order; the first the client offered wins
         * unless a {@link WebSocketHandler} chooses. Default: none (none is negotiated).
         */
        public Builder subprotocols(String... names) {
            subprotocols.addAll(List.of(names));
            return this;
        }

        /**
         * Negotiates permessage-deflate (RFC 7692) with clients that offer it, with these settings
         * ({@link PerMessageDeflate#withDefaults()}, or its builder); replaces an earlier setting.
         * Default: off.
         */
        public Builder permessageDeflate(PerMessageDeflate deflate) {
            extensions.clear();
            extensions.add(Objects.requireNonNull(deflate, "deflate"));
            return this;
        }

        /** Adds any extension of the protocol's extension seam: for this module's own tests (a counting wrapper). */
        Builder extension(ExtensionFactory factory) {
            extensions.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** Answers plain HTTP requests on the port (a health check); default: {@code 426} for all. */
        public Builder httpHandler(HttpHandler handler) {
            this.httpHandler = handler;
            return this;
        }

        /**
         * Whether the event-loop threads are daemon threads. Default false: a started server keeps
         * the JVM alive until it is shut down, as Netty, Jetty and the JDK's HttpServer do. Set
         * true for a host whose own lifecycle decides when the JVM ends.
         */
        public Builder daemonThreads(boolean daemon) {
            this.daemonThreads = daemon;
            return this;
        }

        /**
         * Whether to register a JVM shutdown hook on {@link WebSocketServer#start()} that shuts the
         * server down gracefully (close {@code 1001} to every connection, then the configured close
         * timeout) when the JVM exits, e.g. on SIGTERM or Ctrl-C. Default false. The hook is removed
         * again when the server is shut down some other way.
         */
        public Builder stopAtShutdown(boolean stop) {
            this.stopAtShutdown = stop;
            return this;
        }

        /**
         * Limits per remote address (open connections, new connections per second), answered
         * {@code 429} before anything is read; default {@link AddressLimits#OFF}. Only for a server
         * that faces its clients directly: behind a proxy every client has the proxy's address.
         */
        public Builder addressLimits(AddressLimits limits) {
            this.addressLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Builds the server; call {@link WebSocketServer#start()} to bind and run it. */
        public WebSocketServer build() {
            return new WebSocketServer(new ServerSettings(bindAddress, port, Map.copyOf(handlers), eventLoops,
                    limits, tls, Set.copyOf(origins), List.copyOf(subprotocols), List.copyOf(extensions),
                    httpHandler, addressLimits), daemonThreads, stopAtShutdown);
        }
    }
}
