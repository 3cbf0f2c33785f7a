package io.blockbuster.stream;

import io.blockbuster.stream.json.Json;
import io.blockbuster.stream.json.JsonCodec;
import io.blockbuster.stream.json.JsonLimits;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Serves named data streams to any number of connections over a small JSON protocol (see
 * {@code docs/stream-hub.md}): sources produce values, the hub serializes each value once, numbers it
 * ({@code seq}), keeps history, and delivers it to every subscriber under the stream's
 * {@link DeliveryPolicy} without letting a slow subscriber delay the others.
 *
 * <pre>{@code
 * StreamHub hub = StreamHub.builder().build();
 * hub.register("network_metrics", PolledSource.every(Duration.ofSeconds(2), node::metrics));
 * hub.register("receipts", IncrementalSource.every(Duration.ofSeconds(1), node::newReceipts, Receipt::hash));
 * PushedSource alerts = new PushedSource();
 * hub.register("alerts", alerts);
 * hub.start();
 * WebSocketServer server = StreamBinding.serve(hub, 8080, "/ws");
 * alerts.publish(Map.of("level", "warn", "text", "peer count low"));
 * }</pre>
 *
 * <p>The hub knows nothing of sockets: a transport implements {@link StreamSession} and feeds each
 * connection's events into the {@link HubConnection} that {@link #open(StreamSession)} returns.
 * Thread safe. Time comes only from the {@link HubScheduler}.
 */
public final class StreamHub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamHub.class.getName());
    private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Set<String> RESERVED = Set.of("welcome", "subscribe", "subscribed", "unsubscribe",
            "unsubscribed", "ping", "pong", "error", "resync");

    private enum State { NEW, RUNNING, CLOSED }

    private final HubScheduler scheduler;
    private final boolean ownsScheduler;
    private final Executor sourceExecutor;
    private final boolean ownsExecutor;
    private final JsonCodec codec;
    private final HubLimits limits;
    /** Shared by every connection's request parsing (one record per hub, not per connection). */
    final JsonLimits requestLimits;
    private final StreamAuthorizer authorizer;
    private final String welcomeMessage;
    private final String epoch;
    private final StreamEngine engine;

    private final Object lock = new Object();
    private volatile State state = State.NEW;
    private volatile Map<String, Channel> channels = Map.of(); // copy on write, registration order
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final LongAdder connectionsOpened = new LongAdder();
    final LongAdder slowConsumers = new LongAdder();
    final LongAdder errorReplies = new LongAdder();

    private StreamHub(Builder b) {
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? HubScheduler.system() : b.scheduler;
        this.ownsExecutor = b.sourceExecutor == null;
        this.sourceExecutor = ownsExecutor ? Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "blockbuster-source");
            t.setDaemon(true);
            return t;
        }) : b.sourceExecutor;
        this.codec = b.codec;
        this.limits = b.limits;
        this.requestLimits = new JsonLimits(Connection.MAX_REQUEST_DEPTH, b.limits.maxRequestChars());
        this.authorizer = b.authorizer;
        this.welcomeMessage = b.welcomeMessage;
        this.epoch = b.epoch != null ? b.epoch : newEpoch();
        this.engine = b.engine != null ? b.engine : StreamEngine.inMemory();
    }

    /** A builder with the defaults: system scheduler, cached daemon source threads, built-in JSON. */
    public static Builder builder() {
        return new Builder();
    }

    /** Registers a stream with its source's default options. See {@link #register(String, StreamSource, StreamOptions)}. */
    public void register(String name, StreamSource source) {
        register(name, source, source.defaultOptions());
    }

    /**
     * Registers stream {@code name} fed by {@code source}. Allowed before and after {@link #start()};
     * a stream registered on a running hub starts at once (connections already open do not see it in
     * their welcome, but may subscribe).
     *
     * @param name 1-64 chars of {@code [A-Za-z0-9_.:-]}, not a protocol message type such as "error"
     * @throws IllegalArgumentException for a bad or duplicate name, or a source registered elsewhere
     * @throws IllegalStateException if the hub is closed
     */
    public void register(String name, StreamSource source, StreamOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        if (!STREAM_NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new IllegalArgumentException("bad stream name: " + name);
        }
        Channel channel = new Channel(this, name, source, options);
        synchronized (lock) {
            if (state == State.CLOSED) {
                throw new IllegalStateException("hub closed");
            }
            if (channels.containsKey(name)) {
                throw new IllegalArgumentException("stream already registered: " + name);
            }
            if (source instanceof PushedSource p) {
                p.bind(channel);
            }
            Map<String, Channel> copy = new LinkedHashMap<>(channels);
            copy.put(name, channel);
            channels = Collections.unmodifiableMap(copy);
            if (state == State.RUNNING) {
                channel.start();
            }
        }
    }

    /** Starts every source. Idempotent. @throws IllegalStateException if closed */
    public void start() {
        synchronized (lock) {
            if (state == State.CLOSED) {
                throw new IllegalStateException("hub closed");
            }
            if (state == State.RUNNING) {
                return;
            }
            state = State.RUNNING;
            for (Channel c : channels.values()) {
                c.start();
            }
        }
    }

    /**
     * Accepts a new connection: checks {@link StreamAuthorizer#mayConnect}, sends the {@code welcome}
     * and returns the object the transport feeds the connection's events to. On a closed hub or a
     * refused handshake the session is closed at once ({@link StreamCloseCodes#SHUTTING_DOWN} or
     * {@link StreamCloseCodes#NOT_AUTHORIZED}) and the returned connection ignores everything.
     */
    public HubConnection open(StreamSession session) {
        Connection c = new Connection(this, session);
        connectionCount.incrementAndGet();
        connections.add(c);
        connectionsOpened.increment();
        if (state == State.CLOSED) {
            c.closeNow(StreamCloseCodes.SHUTTING_DOWN, "server shutting down");
            return c;
        }
        if (!mayConnect(session.handshake())) {
            c.closeNow(StreamCloseCodes.NOT_AUTHORIZED, "not authorized");
            return c;
        }
        List<String> available = new ArrayList<>();
        for (String name : channels.keySet()) {
            if (maySubscribe(session.handshake(), name)) {
                available.add(name);
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("message", welcomeMessage);
        fields.put("available_streams", available);
        fields.put("epoch", epoch);
        c.enqueueReply(message("welcome", fields, scheduler.currentTimeMillis()));
        if (state == State.CLOSED) { // closed meanwhile: close() may have missed this connection
            c.closeNow(StreamCloseCodes.SHUTTING_DOWN, "server shutting down");
        }
        c.drain();
        return c;
    }

    void removeConnection(Connection c) {
        if (connections.remove(c)) {
            connectionCount.decrementAndGet();
        }
    }

    /**
     * Stops every source and closes every connection with {@link StreamCloseCodes#SHUTTING_DOWN}.
     * Idempotent. A default scheduler and source executor are shut down; ones the host passed in are not.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            for (Channel c : channels.values()) {
                c.stop();
            }
        }
        for (Connection c : connections) {
            c.closeNow(StreamCloseCodes.SHUTTING_DOWN, "server shutting down");
        }
        engine.close();
        if (ownsExecutor) {
            ((ExecutorService) sourceExecutor).shutdownNow();
        }
        if (ownsScheduler && scheduler instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "scheduler close failed", e);
            }
        }
    }

    /** The counters now. */
    public HubStats stats() {
        Map<String, StreamStats> streams = new LinkedHashMap<>();
        for (Channel c : channels.values()) {
            streams.put(c.name, c.stats());
        }
        return new HubStats(connectionCount.get(), connectionsOpened.sum(), slowConsumers.sum(), errorReplies.sum(),
                Collections.unmodifiableMap(streams), engine.status());
    }

    /** The status of stream {@code name}'s source. @throws IllegalArgumentException if there is no such stream */
    public SourceStatus sourceStatus(String name) {
        Channel c = channels.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no stream " + name);
        }
        return c.status();
    }

    /** Names of the registered streams, in registration order. */
    public Set<String> streams() {
        return channels.keySet();
    }

    /**
     * This run's epoch: sent in welcome, and in subscribed, resync and every data message of a stream
     * whose engine keeps no shared history; it changes when the hub (and its history) restarts, so a
     * {@code seq} means something only together with its epoch. A shared engine (a cluster) gives each
     * stream the epoch of its shared history instead, which outlives any one node.
     */
    public String epoch() {
        return epoch;
    }

    Channel channel(String name) {
        return channels.get(name);
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    HubScheduler scheduler() {
        return scheduler;
    }

    Executor sourceExecutor() {
        return sourceExecutor;
    }

    StreamEngine engine() {
        return engine;
    }

    JsonCodec codec() {
        return codec;
    }

    HubLimits limits() {
        return limits;
    }

    /** The authorizer's answer; an authorizer that throws refuses (and is logged), it never breaks the connection. */
    boolean maySubscribe(HandshakeInfo handshake, String stream) {
        try {
            return authorizer.maySubscribe(handshake, stream);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "authorizer threw; refusing stream " + stream, e);
            return false;
        }
    }

    private boolean mayConnect(HandshakeInfo handshake) {
        try {
            return authorizer.mayConnect(handshake);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "authorizer threw; refusing connection", e);
            return false;
        }
    }

    /** Unix seconds with millisecond precision, e.g. {@code 1764104700.123}. */
    static String timestamp(long millis) {
        return BigDecimal.valueOf(millis, 3).toPlainString();
    }

    /** A protocol message: {"type":type, ...fields, "timestamp":t}. */
    static OutboundMessage message(String type, Map<String, Object> fields, long millis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        if (fields != null) {
            m.putAll(fields);
        }
        m.put("timestamp", BigDecimal.valueOf(millis, 3));
        return OutboundMessage.ofText(Json.write(m));
    }

    static OutboundMessage resyncMessage(String stream, String reason, long since, long firstSeq, String epoch, long millis) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("stream", stream);
        fields.put("reason", reason);
        fields.put("since", since);
        fields.put("first_seq", firstSeq);
        fields.put("epoch", epoch);
        return message("resync", fields, millis);
    }

    private static String newEpoch() {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        StringBuilder sb = new StringBuilder(16);
        for (byte b : random) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /** Options of a hub. Not thread safe; build once. */
    public static final class Builder {
        private HubScheduler scheduler;
        private Executor sourceExecutor;
        private JsonCodec codec = JsonCodec.builtIn();
        private HubLimits limits = HubLimits.DEFAULT;
        private StreamAuthorizer authorizer = StreamAuthorizer.allowAll();
        private String welcomeMessage = "connected";
        private String epoch;
        private StreamEngine engine;

        private Builder() {
        }

        /** Time and delays (default {@link HubScheduler#system()}, owned and shut down by the hub). */
        public Builder scheduler(HubScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler);
            return this;
        }

        /** Where polls run (default: daemon threads, at most one busy per source; owned by the hub). */
        public Builder sourceExecutor(Executor executor) {
            this.sourceExecutor = Objects.requireNonNull(executor);
            return this;
        }

        /** How published values are serialized (default {@link JsonCodec#builtIn()}). */
        public Builder codec(JsonCodec codec) {
            this.codec = Objects.requireNonNull(codec);
            return this;
        }

        /** Per-connection limits (default {@link HubLimits#DEFAULT}). */
        public Builder limits(HubLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /** Authorization per connection and per stream (default: allow all). */
        public Builder authorizer(StreamAuthorizer authorizer) {
            this.authorizer = Objects.requireNonNull(authorizer);
            return this;
        }

        /** The {@code message} of the welcome (default "connected"). */
        public Builder welcomeMessage(String message) {
            this.welcomeMessage = Objects.requireNonNull(message);
            return this;
        }

        /** A fixed epoch (default: 16 random hex digits per hub); for tests and hosts that persist history. */
        public Builder epoch(String epoch) {
            this.epoch = Objects.requireNonNull(epoch);
            return this;
        }

        /**
         * Where streams are numbered, kept and shared (default {@link StreamEngine#inMemory()}: this
         * process only). A cluster engine lets several hubs behind a load balancer serve the same
         * streams. The hub closes its engine when it closes.
         */
        public Builder engine(StreamEngine engine) {
            this.engine = Objects.requireNonNull(engine);
            return this;
        }

        /** The hub, not yet started. */
        public StreamHub build() {
            return new StreamHub(this);
        }
    }
}
