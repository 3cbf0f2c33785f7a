package io.blockbuster.websocket;

import io.blockbuster.websocket.internal.ClientRuntime;
import io.blockbuster.websocket.internal.ClientSettings;
import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.protocol.ExtensionFactory;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A non-blocking WebSocket client for ws:// and wss:// URIs. One client runs a few event-loop
 * threads (one by default) that serve all its connections; reuse it for many connections and
 * {@link #close()} it when done.
 *
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.builder().build()) {
 *     WebSocket ws = client.connect(URI.create("ws://localhost:9001/echo"), new WebSocketListener() {
 *         public void onText(WebSocket ws, String text) { System.out.println(text); }
 *     }).get();
 *     ws.sendText("hello");
 * }
 * }</pre>
 *
 * <p>Connections made by a client have the same {@link WebSocket} and {@link WebSocketListener}
 * contract as server connections. Thread safe.
 */
public final class WebSocketClient implements AutoCloseable {

    static {
        PreparedMessageAccess.ensureInstalled(); // before any connection can send a PreparedMessage
    }

    private final ClientRuntime runtime;

    private WebSocketClient(ClientSettings settings, boolean daemonThreads) {
        this.runtime = new ClientRuntime(settings, daemonThreads);
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a connection with the builder's headers and subprotocols.
     *
     * @see #connect(URI, Map, List, WebSocketListener)
     */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketListener listener) {
        return runtime.connect(uri, Map.of(), List.of(), listener);
    }

    /**
     * Opens a connection. The host name is resolved on the calling thread; everything else happens
     * on an event loop. The future completes with the open connection just before
     * {@link WebSocketListener#onOpen} runs, or fails with {@link java.net.ConnectException},
     * {@link java.net.SocketTimeoutException} (connect or handshake timeout),
     * {@link io.blockbuster.websocket.protocol.HandshakeException} (the server refused or answered
     * wrongly) or another {@link java.io.IOException}.
     *
     * @param uri          a ws:// or wss:// URI
     * @param headers      extra request headers, added after the builder's (may be empty)
     * @param subprotocols subprotocols to offer, in preference order; empty to use the builder's
     * @param listener     receives the connection's events
     */
    public CompletableFuture<WebSocket> connect(URI uri, Map<String, List<String>> headers, List<String> subprotocols,
                                                WebSocketListener listener) {
        return runtime.connect(uri, headers, subprotocols, listener);
    }

    /** Drops every connection of this client (reported as {@code 1006}) and stops its threads. */
    @Override
    public void close() {
        runtime.close();
    }

    /** Collects the settings of a {@link WebSocketClient}. Not thread safe. */
    public static final class Builder {
        private int eventLoops = 1;
        private WebSocketLimits limits = WebSocketLimits.DEFAULTS;
        private SSLContext tls;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final List<String> subprotocols = new ArrayList<>();
        private final List<ExtensionFactory> extensions = new ArrayList<>();
        private boolean daemonThreads;

        private Builder() {
        }

        /** Number of event-loop threads; default 1. */
        public Builder eventLoops(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("eventLoops must be >= 1");
            }
            this.eventLoops = count;
            return this;
        }

        /**
         * Limits and timers; default {@link WebSocketLimits#DEFAULTS}. The handshake timeout is
         * {@link WebSocketLimits#handshakeTimeout()}; {@code maxConnections} does not apply.
         */
        public Builder limits(WebSocketLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** TLS context for wss:// URIs; default {@link SSLContext#getDefault()}. */
        public Builder tls(SSLContext context) {
            this.tls = context;
            return this;
        }

        /** Time allowed for the TCP connect (positive); default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** Time allowed for the opening handshake once connected; sets it in the limits. */
        public Builder handshakeTimeout(Duration timeout) {
            this.limits = limits.toBuilder().handshakeTimeout(timeout).build();
            return this;
        }

        /** Adds a request header sent on every connection. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        /** Subprotocols offered on every connection, in preference order. */
        public Builder subprotocols(String... names) {
            subprotocols.addAll(List.of(names));
            return this;
        }

        /**
         * Offers permessage-deflate (RFC 7692) on every connection, with these settings
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

        /**
         * Whether the event-loop threads are daemon threads. Default false: from its first
         * connection until {@link WebSocketClient#close()} a client keeps the JVM alive, like a
         * server. Set true for a client that must never hold up the JVM's exit.
         */
        public Builder daemonThreads(boolean daemon) {
            this.daemonThreads = daemon;
            return this;
        }

        /** Builds the client; its threads start with the first connection. */
        public WebSocketClient build() {
            Map<String, List<String>> h = new LinkedHashMap<>();
            headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
            return new WebSocketClient(new ClientSettings(eventLoops, limits, tls, connectTimeout, h,
                    List.copyOf(subprotocols), List.copyOf(extensions)), daemonThreads);
        }
    }
}
