package io.blockbuster.stream;

import io.blockbuster.stream.internal.ActivityLog;
import io.blockbuster.stream.internal.Channel;
import io.blockbuster.stream.internal.HubContext;
import io.blockbuster.stream.internal.HubSession;
import io.blockbuster.stream.internal.InMemoryEngine;
import io.blockbuster.stream.internal.SystemScheduler;
import io.blockbuster.stream.json.JsonCodec;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private final HubContext context;

    private final Object lock = new Object();
    private State state = State.NEW; // guarded by lock

    private StreamHub(Builder b) {
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? new SystemScheduler() : b.scheduler;
        this.ownsExecutor = b.sourceExecutor == null;
        this.sourceExecutor = ownsExecutor ? Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "blockbuster-source");
            t.setDaemon(true);
            return t;
        }) : b.sourceExecutor;
        this.context = new HubContext(scheduler, sourceExecutor, b.codec, b.limits, b.authorizer, b.welcomeMessage,
                new ActivityLog(b.activityLog), b.epoch != null ? b.epoch : newEpoch(),
                b.engine != null ? b.engine : new InMemoryEngine());
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
        Channel channel = new Channel(context, name, source, options);
        synchronized (lock) {
            if (state == State.CLOSED) {
                throw new IllegalStateException("hub closed");
            }
            if (context.channels().containsKey(name)) {
                throw new IllegalArgumentException("stream already registered: " + name);
            }
            if (source instanceof PushedSource p) {
                p.bind(channel);
            }
            context.addChannel(channel);
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
            for (Channel c : context.channels().values()) {
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
        return HubSession.open(context, session);
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
            context.markClosed();
            for (Channel c : context.channels().values()) {
                c.stop();
            }
        }
        for (HubSession s : context.sessions()) {
            s.shutDown();
        }
        context.engine().close();
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
        for (Map.Entry<String, Channel> e : context.channels().entrySet()) {
            streams.put(e.getKey(), e.getValue().stats());
        }
        return new HubStats(context.sessionCount(), context.sessionsOpened(), context.slowConsumers(),
                context.errorReplies(), Collections.unmodifiableMap(streams), context.engine().status());
    }

    /** The status of stream {@code name}'s source. @throws IllegalArgumentException if there is no such stream */
    public SourceStatus sourceStatus(String name) {
        Channel c = context.channels().get(name);
        if (c == null) {
            throw new IllegalArgumentException("no stream " + name);
        }
        return c.status();
    }

    /** Names of the registered streams, in registration order. */
    public Set<String> streams() {
        return context.channels().keySet();
    }

    /**
     * This run's epoch: sent in welcome, and in subscribed, resync and every data message of a stream
     * whose engine keeps no shared history; it changes when the hub (and its history) restarts, so a
     * {@code seq} means something only together with its epoch. A shared engine (a cluster) gives each
     * stream the epoch of its shared history instead, which outlives any one node.
     */
    public String epoch() {
        return context.epoch();
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
        private boolean activityLog = true;
        private String epoch;
        private StreamEngine engine;

        private Builder() {
        }

        /** Time and delays (default: system clocks and one daemon timer thread, owned and shut down by the hub). */
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

        /**
         * Whether the hub logs, at INFO, each connection opening and closing and each subscribe and
         * unsubscribe, with the client's address ("client 127.0.0.1:50312 subscribed to
         * network_metrics"; logger {@code io.blockbuster.stream.activity}). Default true; never
         * anything per message.
         */
        public Builder activityLog(boolean enabled) {
            this.activityLog = enabled;
            return this;
        }

        /** A fixed epoch (default: 16 random hex digits per hub); for tests and hosts that persist history. */
        public Builder epoch(String epoch) {
            this.epoch = Objects.requireNonNull(epoch);
            return this;
        }

        /**
         * Where streams are numbered, kept and shared (default: an in-memory engine, this
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
