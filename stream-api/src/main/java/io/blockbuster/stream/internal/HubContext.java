package io.blockbuster.stream.internal;

import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.HubLimits;
import io.blockbuster.stream.HubScheduler;
import io.blockbuster.stream.StreamAuthorizer;
import io.blockbuster.stream.StreamEngine;
import io.blockbuster.stream.json.JsonCodec;
import io.blockbuster.stream.protocol.RequestDecoder;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the machinery of one hub shares: its configuration, its streams and open sessions, and its
 * counters. The {@code StreamHub} facade creates one and hands it to every {@link Channel} and
 * {@link HubSession}, which reach the hub only through it. Thread safe.
 */
public final class HubContext {
    private static final System.Logger LOG = System.getLogger(HubContext.class.getName());

    final HubScheduler scheduler;
    final Executor sourceExecutor;
    final JsonCodec codec;
    final HubLimits limits;
    /** Shared by every session's request parsing (one per hub, not per connection). */
    final RequestDecoder requests;
    final String welcomeMessage;
    final ActivityLog activity;
    private final StreamAuthorizer authorizer;
    private final String epoch;
    final StreamEngine engine;

    private volatile boolean closed;
    private volatile Map<String, Channel> channels = Map.of(); // copy on write, registration order
    private final Set<HubSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sessionCount = new AtomicInteger();
    final LongAdder sessionsOpened = new LongAdder();
    final LongAdder slowConsumers = new LongAdder();
    final LongAdder errorReplies = new LongAdder();

    /**
     * The context of a hub with this configuration; {@code epoch} names this run of the hub, and
     * {@code engine} numbers, keeps and shares its streams.
     */
    public HubContext(HubScheduler scheduler, Executor sourceExecutor, JsonCodec codec, HubLimits limits,
                      StreamAuthorizer authorizer, String welcomeMessage, ActivityLog activity, String epoch,
                      StreamEngine engine) {
        this.scheduler = scheduler;
        this.sourceExecutor = sourceExecutor;
        this.codec = codec;
        this.limits = limits;
        this.requests = new RequestDecoder(limits.maxRequestChars());
        this.authorizer = authorizer;
        this.welcomeMessage = welcomeMessage;
        this.activity = activity;
        this.epoch = epoch;
        this.engine = engine;
    }

    /** The hub's stream engine. */
    public StreamEngine engine() {
        return engine;
    }

    /** This run's epoch. */
    public String epoch() {
        return epoch;
    }

    /** Whether the hub is closed: no more publishing, new sessions are closed at once. */
    public boolean isClosed() {
        return closed;
    }

    /** Marks the hub closed (before its streams stop and its sessions close). */
    public void markClosed() {
        closed = true;
    }

    /** The streams by name, in registration order (a snapshot). */
    public Map<String, Channel> channels() {
        return channels;
    }

    /** Adds a stream; the caller checked the name is free and serializes calls. */
    public void addChannel(Channel channel) {
        Map<String, Channel> copy = new LinkedHashMap<>(channels);
        copy.put(channel.name, channel);
        channels = Collections.unmodifiableMap(copy);
    }

    Channel channel(String name) {
        return channels.get(name);
    }

    /** The open sessions (a live view). */
    public Collection<HubSession> sessions() {
        return Collections.unmodifiableSet(sessions);
    }

    /** Open sessions now. */
    public int sessionCount() {
        return sessionCount.get();
    }

    /** Sessions opened since the hub was built. */
    public long sessionsOpened() {
        return sessionsOpened.sum();
    }

    /** Sessions closed as slow consumers. */
    public long slowConsumers() {
        return slowConsumers.sum();
    }

    /** {@code error} replies sent. */
    public long errorReplies() {
        return errorReplies.sum();
    }

    void added(HubSession s) {
        sessions.add(s);
        sessionCount.incrementAndGet();
        sessionsOpened.increment();
    }

    void removed(HubSession s) {
        if (sessions.remove(s)) {
            sessionCount.decrementAndGet();
        }
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

    boolean mayConnect(HandshakeInfo handshake) {
        try {
            return authorizer.mayConnect(handshake);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "authorizer threw; refusing connection", e);
            return false;
        }
    }
}
