package io.blockbuster.stream.client;

import io.blockbuster.stream.StreamCloseCodes;
import io.blockbuster.stream.protocol.ClientRequest;
import io.blockbuster.stream.protocol.ServerMessage;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A Java client of a stream hub: connects, subscribes with a listener per stream, reconnects by itself
 * with exponential backoff and jitter, resubscribes and resumes each event stream from the last
 * {@code seq} it delivered (no gaps, no duplicates while the server's history reaches back; an
 * {@link StreamListener#onResync} otherwise, and when the server skipped messages it reached too late),
 * reports its {@link State}, and closes cleanly. The resume
 * point is the pair (epoch, seq) of the last data message: a message of another server run moves it
 * to that run rather than being compared with seqs of the old one.
 *
 * <pre>{@code
 * StreamClient client = StreamBinding.client(URI.create("ws://localhost:8080/ws"))
 *         .subscribe("receipts", m -> System.out.println(m.seq() + " " + m.data()))
 *         .build();
 * client.start();
 * ...
 * client.close();
 * }</pre>
 *
 * <p>The client is transport-neutral: it talks through a {@link Connector}; {@code StreamBinding.client}
 * supplies one over websocket-core's {@code WebSocketClient}. Thread safe. Listener callbacks run on
 * the transport's thread, one at a time, and must not block.
 *
 * <p>After a close whose code says not to reconnect ({@link StreamCloseCodes#shouldReconnect}), e.g.
 * {@link StreamCloseCodes#NOT_AUTHORIZED}, the client stops in {@link State#CLOSED}.
 */
public final class StreamClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamClient.class.getName());

    /** Connection state. */
    public enum State {
        /** Built, not started. */
        IDLE,
        /** Opening a connection. */
        CONNECTING,
        /** Connected and welcomed by the server. */
        CONNECTED,
        /** Lost the connection; waiting for the backoff delay before reconnecting. */
        WAITING_TO_RECONNECT,
        /** Closed by {@link #close()}, or by the server with a code that says not to reconnect. */
        CLOSED
    }

    /**
     * The transport seam: opens connections. Implemented by the binding; tests may fake it. A connector
     * that is also {@link AutoCloseable} is closed by {@link StreamClient#close()}.
     */
    @FunctionalInterface
    public interface Connector {
        /**
         * Opens one connection to {@code uri}. The future completes with the open link, or fails;
         * afterwards {@code events} hears every text message and exactly one {@link LinkEvents#onClosed}.
         */
        CompletableFuture<Link> connect(URI uri, LinkEvents events);
    }

    /** One open connection, as the client uses it. */
    public interface Link {
        /** Queues a text message; must not block. */
        void sendText(String text);

        /** Starts closing the connection. */
        void close(int code, String reason);
    }

    /** What a {@link Connector} reports about one connection; calls never overlap. */
    public interface LinkEvents {
        /** A text message arrived. */
        void onText(String text);

        /** The connection is gone; {@code 1006} when it broke without a close handshake. */
        void onClosed(int code, String reason);
    }

    /** Connection-level events; all methods default to nothing. Same threading as {@link StreamListener}. */
    public interface Listener {
        /**
         * The state changed. Called with the client's lock held (so states arrive in order): it may call
         * the client, but must not wait for another thread that does.
         */
        default void onStateChange(State state) {
        }

        /** The server's welcome: the streams this connection may subscribe to. */
        default void onWelcome(List<String> availableStreams, String epoch) {
        }

        /** The server closed (or the connection broke) with {@code code}. */
        default void onClose(int code, String reason) {
        }

        /** An {@code error} reply; {@code stream} is null when it concerns no stream. */
        default void onError(String code, String message, String stream) {
        }
    }

    private static final class Sub {
        final String stream;
        final StreamListener listener;
        long lastSeq;
        String epoch;
        boolean resuming;

        Sub(String stream, StreamListener listener) {
            this.stream = stream;
            this.listener = listener;
        }
    }

    private final URI uri;
    private final Connector connector;
    private final Listener listener;
    private final ClientScheduler scheduler;
    private final boolean ownsScheduler;
    private final Random random;
    private final Duration minBackoff;
    private final Duration maxBackoff;

    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<String, Sub> subs = new LinkedHashMap<>();
    private State state = State.IDLE;
    private long generation;
    private Link link;
    private int attempt;
    private ClientScheduler.Cancellable reconnect;

    private StreamClient(Builder b) {
        this.uri = b.uri;
        this.connector = b.connector;
        this.listener = b.listener;
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? new DaemonScheduler() : b.scheduler;
        this.random = b.random;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        b.initial.forEach((stream, l) -> subs.put(stream, new Sub(stream, l)));
    }

    /** A builder for a client of {@code uri} over {@code connector}. */
    public static Builder builder(URI uri, Connector connector) {
        return new Builder(uri, connector);
    }

    /** Connects (asynchronously). @throws IllegalStateException unless {@link State#IDLE} */
    public void start() {
        synchronized (lock) {
            if (state != State.IDLE) {
                throw new IllegalStateException("already started: " + state);
            }
            connect();
        }
    }

    /** The current state. */
    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * The last {@code seq} delivered on {@code stream} (or the seq a fresh event-stream subscription
     * started at), 0 if none or not subscribed. It counts within one server epoch: together with that
     * epoch it is where the next subscribe resumes.
     */
    public long lastSeq(String stream) {
        synchronized (lock) {
            Sub s = subs.get(stream);
            return s == null ? 0 : s.lastSeq;
        }
    }

    /**
     * Subscribes to {@code stream} now (if connected) and after every reconnect.
     *
     * @throws IllegalStateException if already subscribed, or closed
     */
    public void subscribe(String stream, StreamListener streamListener) {
        Objects.requireNonNull(streamListener, "listener");
        synchronized (lock) {
            if (state == State.CLOSED) {
                throw new IllegalStateException("closed");
            }
            if (subs.containsKey(stream)) {
                throw new IllegalStateException("already subscribed to " + stream);
            }
            Sub s = new Sub(stream, streamListener);
            subs.put(stream, s);
            if (link != null) {
                link.sendText(subscribeRequest(s));
            }
        }
    }

    /** Stops delivery of {@code stream} and tells the server. */
    public void unsubscribe(String stream) {
        synchronized (lock) {
            if (subs.remove(stream) != null && link != null) {
                link.sendText(new ClientRequest.Unsubscribe(stream).toJson());
            }
        }
    }

    /** Closes the connection with 1000 and stops reconnecting. Idempotent. */
    @Override
    public void close() {
        Link l;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            l = link;
            link = null;
            generation++;
            if (reconnect != null) {
                reconnect.cancel();
            }
            setState(State.CLOSED);
        }
        if (l != null) {
            l.close(1000, "client closing");
        }
        closeIfCloseable(connector, "connector");
        if (ownsScheduler) {
            closeIfCloseable(scheduler, "scheduler");
        }
    }

    /** Closes what we own on the way out; a failure there cannot be acted on, so it is only logged. */
    private static void closeIfCloseable(Object resource, String what) {
        if (resource instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, what + " close failed", e);
            }
        }
    }

    // ---- connection lifecycle (guarded by lock where noted) ----

    /** Called with lock held. */
    private void connect() {
        long g = ++generation;
        setState(State.CONNECTING);
        CompletableFuture<Link> future;
        try {
            future = connector.connect(uri, new Events(g));
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((l, error) -> opened(g, l, error));
    }

    private void opened(long g, Link l, Throwable error) {
        if (error != null) {
            // The cause in words (a refused upgrade names its status), for a log line someone can act on.
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            closed(g, 1006, "connect failed: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            return;
        }
        synchronized (lock) {
            if (g != generation || state == State.CLOSED) {
                l.close(1000, "client closing");
                return;
            }
            link = l;
            for (Sub s : subs.values()) {
                l.sendText(subscribeRequest(s));
            }
        }
    }

    private void closed(long g, int code, String reason) {
        synchronized (lock) {
            if (g != generation || state == State.CLOSED) {
                return;
            }
            link = null;
            if (!StreamCloseCodes.shouldReconnect(code)) {
                setState(State.CLOSED);
            } else {
                Duration delay = backoff(attempt++);
                setState(State.WAITING_TO_RECONNECT);
                reconnect = scheduler.schedule(() -> {
                    synchronized (lock) {
                        if (state == State.WAITING_TO_RECONNECT) {
                            connect();
                        }
                    }
                }, delay);
            }
        }
        listener.onClose(code, reason);
    }

    /** min * 2^attempt capped at max, then "equal jitter": half fixed, half random. */
    private Duration backoff(int n) {
        long base = minBackoff.toMillis() << Math.min(n, 20);
        base = Math.min(Math.max(base, 1), maxBackoff.toMillis());
        long half = base / 2;
        return Duration.ofMillis(half + (half > 0 ? (long) (random.nextDouble() * (base - half)) : 0));
    }

    /** Called with lock held. */
    private void setState(State s) {
        if (state != s) {
            state = s;
            listener.onStateChange(s);
        }
    }

    /** Called with lock held. Once subscribed, every resubscribe resumes from the last seq (maybe 0). */
    private static String subscribeRequest(Sub s) {
        s.resuming = s.epoch != null;
        return (s.resuming ? new ClientRequest.Subscribe(s.stream, s.lastSeq, s.epoch)
                : new ClientRequest.Subscribe(s.stream, null, null)).toJson();
    }

    // ---- inbound messages (transport thread) ----

    private void receive(long g, String text) {
        ServerMessage message = ServerMessage.parse(text);
        if (message instanceof ServerMessage.Data data) {
            data(g, data);
        } else if (message instanceof ServerMessage.Welcome welcome) {
            synchronized (lock) {
                if (g != generation) {
                    return;
                }
                attempt = 0;
                setState(State.CONNECTED);
            }
            listener.onWelcome(welcome.availableStreams(), welcome.epoch());
        } else if (message instanceof ServerMessage.Subscribed subscribed) {
            subscribed(g, subscribed);
        } else if (message instanceof ServerMessage.Resync resync) {
            Sub s = sub(g, resync.stream());
            if (s != null) {
                s.listener.onResync(resync);
            }
        } else if (message instanceof ServerMessage.ErrorReply error) {
            Sub s = sub(g, error.stream());
            if (s != null) {
                s.listener.onError(error.code(), error.message());
            }
            listener.onError(error.code(), error.message(), error.stream());
        } else if (message == null) {
            LOG.log(System.Logger.Level.DEBUG, "server sent a message that is not a JSON object with a type");
        } // unsubscribed, pong: nothing to do
    }

    private void subscribed(long g, ServerMessage.Subscribed m) {
        synchronized (lock) {
            Sub s = g == generation && m.stream() != null ? subs.get(m.stream()) : null;
            if (s != null && m.epoch() != null) {
                if (!m.epoch().equals(s.epoch)) {
                    s.epoch = m.epoch(); // first subscribe, or another server run: seqs start afresh
                    s.lastSeq = 0;
                }
                // A fresh event-stream subscription starts live: what came before is not ours to
                // replay later. (Not for state streams: their snapshot carries the current seq.)
                if (!s.resuming && "queue".equals(m.policy())) {
                    s.lastSeq = Math.max(s.lastSeq, m.seq());
                }
            }
        }
    }

    private Sub sub(long g, String stream) {
        synchronized (lock) {
            return g == generation && stream != null ? subs.get(stream) : null;
        }
    }

    private void data(long g, ServerMessage.Data m) {
        long seq = m.seq();
        String epoch = m.epoch(); // older hubs sent none
        Sub s;
        synchronized (lock) {
            s = g == generation ? subs.get(m.stream()) : null;
            if (s == null) {
                return;
            }
            if (seq > 0) {
                if (epoch != null && !epoch.equals(s.epoch)) {
                    // A seq of another server run: it cannot be compared with ours (it is no duplicate
                    // because it is smaller), and sending it as "since" with our old epoch would be
                    // wrong. The resume point moves to the message's run as a pair.
                    s.epoch = epoch;
                } else if (seq <= s.lastSeq) {
                    return; // already delivered (a replay overlapping what we saw)
                }
                s.lastSeq = seq;
            }
        }
        s.listener.onMessage(new StreamMessage(m.stream(), m.data(), seq, m.timestampMillis()));
    }

    private final class Events implements LinkEvents {
        private final long g;

        Events(long g) {
            this.g = g;
        }

        @Override
        public void onText(String text) {
            receive(g, text);
        }

        @Override
        public void onClosed(int code, String reason) {
            closed(g, code, reason);
        }
    }

    /** Options of a {@link StreamClient}. Not thread safe. */
    public static final class Builder {
        private final URI uri;
        private final Connector connector;
        private final Map<String, StreamListener> initial = new LinkedHashMap<>();
        private Listener listener = new Listener() { };
        private ClientScheduler scheduler;
        private Random random = new Random();
        private Duration minBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);

        private Builder(URI uri, Connector connector) {
            this.uri = Objects.requireNonNull(uri, "uri");
            this.connector = Objects.requireNonNull(connector, "connector");
        }

        /** Subscribes to {@code stream} from the first connection on. */
        public Builder subscribe(String stream, StreamListener streamListener) {
            if (initial.putIfAbsent(stream, Objects.requireNonNull(streamListener)) != null) {
                throw new IllegalArgumentException("already subscribed to " + stream);
            }
            return this;
        }

        /** Connection-level events. */
        public Builder listener(Listener l) {
            this.listener = Objects.requireNonNull(l);
            return this;
        }

        /** Reconnect delays: {@code min * 2^attempt} capped at {@code max}, jittered down by up to half (default 500 ms..30 s). */
        public Builder backoff(Duration min, Duration max) {
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("bad backoff " + min + ".." + max);
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** Timer for reconnects (default: one daemon thread, owned by the client). */
        public Builder scheduler(ClientScheduler s) {
            this.scheduler = Objects.requireNonNull(s);
            return this;
        }

        /** Jitter source (default {@code new Random()}); tests pass a seeded one. */
        public Builder random(Random r) {
            this.random = Objects.requireNonNull(r);
            return this;
        }

        /** The client, not yet started. */
        public StreamClient build() {
            return new StreamClient(this);
        }
    }
}
