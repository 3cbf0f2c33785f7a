package io.blockbuster.stream;

import io.blockbuster.stream.internal.TokenBucket;
import io.blockbuster.stream.json.Json;
import io.blockbuster.stream.json.JsonException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's state for one session: its subscriptions, the replies waiting to go out, and the drain
 * loop that moves pending messages to the session while it is writable.
 *
 * <p>Drain order: replies and notices first (so {@code subscribed} precedes its snapshot and a
 * {@code resync} notice precedes its replay), then subscriptions round-robin, one message each, so
 * one busy stream cannot starve another. Only one thread drains at a time (work-in-progress counter);
 * whoever offers a message calls {@link #drain()}, and a drain that is busy elsewhere is repeated by
 * the thread already draining.
 */
final class Connection implements HubConnection {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    static final int MAX_REQUEST_DEPTH = 4;
    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];

    private final StreamHub hub;
    final StreamSession session;
    private final TokenBucket bucket; // only touched by receive* (one transport thread at a time)
    // Plain fields behind VarHandles rather than two Atomic* objects per connection (idle footprint).
    private static final VarHandle WIP;
    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WIP = lookup.findVarHandle(Connection.class, "wip", int.class);
            CLOSED = lookup.findVarHandle(Connection.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through WIP
    private volatile int wip;
    private volatile boolean closed;

    // Guarded by this connection's own monitor (not a separate lock object: idle footprint); no
    // one outside this package sees a Connection as more than a HubConnection, so no one else locks it.
    // Sized for idle connections, which are most of them: replies exist only while some wait
    // (requests are rare), and the ready ring is linked through the subscriptions themselves.
    private ArrayDeque<OutboundMessage> replies;
    private Subscription readyHead;
    private Subscription readyTail;
    // In order of subscribing, exactly sized: most connections hold one or two, changed rarely,
    // so an array searched by name costs less memory than a map (idle footprint).
    private Subscription[] subscriptions = NO_SUBSCRIPTIONS;

    Connection(StreamHub hub, StreamSession session) {
        this.hub = hub;
        this.session = session;
        this.bucket = new TokenBucket(hub.limits().maxRequestsPerSecond(), hub.scheduler().nanoTime());
    }

    boolean isClosed() {
        return closed;
    }

    // ---- requests (transport thread) ----

    @Override
    public void receiveText(CharSequence text) {
        if (closed) {
            return;
        }
        if (!bucket.tryAcquire(hub.scheduler().nanoTime())) {
            error(ErrorCode.RATE_LIMITED, "more than " + hub.limits().maxRequestsPerSecond() + " requests per second", null);
            return;
        }
        if (text.length() > hub.limits().maxRequestChars()) {
            error(ErrorCode.REQUEST_TOO_LARGE, "request longer than " + hub.limits().maxRequestChars() + " chars", null);
            return;
        }
        Object parsed;
        try {
            parsed = Json.parse(text.toString(), hub.requestLimits);
        } catch (JsonException e) {
            error(ErrorCode.INVALID_JSON, "invalid JSON: " + e.getMessage(), null);
            return;
        }
        if (!(parsed instanceof Map<?, ?> request)) {
            error(ErrorCode.INVALID_REQUEST, "request must be a JSON object", null);
            return;
        }
        Object type = request.get("type");
        if (!(type instanceof String t)) {
            error(ErrorCode.MISSING_TYPE, "request needs a string \"type\"", null);
            return;
        }
        switch (t) {
            case "ping" -> reply(StreamHub.message("pong", null, hub.scheduler().currentTimeMillis()));
            case "subscribe" -> subscribe(request);
            case "unsubscribe" -> unsubscribe(request);
            default -> error(ErrorCode.UNKNOWN_TYPE, "unknown request type", null);
        }
    }

    @Override
    public void receiveBinary() {
        if (!closed) {
            error(ErrorCode.UNSUPPORTED_MESSAGE, "binary messages are not supported; send JSON text", null);
        }
    }

    private void subscribe(Map<?, ?> request) {
        Channel channel = channelOf(request);
        if (channel == null) {
            return;
        }
        String name = channel.name;
        Object since = request.get("since");
        Object epoch = request.get("epoch");
        if (since != null && !(since instanceof Long l && l >= 0)) {
            error(ErrorCode.INVALID_REQUEST, "\"since\" must be a non-negative integer", name);
            return;
        }
        if (epoch != null && !(epoch instanceof String)) {
            error(ErrorCode.INVALID_REQUEST, "\"epoch\" must be a string", name);
            return;
        }
        if (!hub.maySubscribe(session.handshake(), name)) {
            error(ErrorCode.NOT_AUTHORIZED, "not authorized for this stream", name);
            return;
        }
        Subscription s = new Subscription(this, channel);
        ErrorCode refusal = null;
        synchronized (this) {
            if (indexOf(name) >= 0) {
                refusal = ErrorCode.ALREADY_SUBSCRIBED;
            } else if (subscriptions.length >= hub.limits().maxSubscriptions()) {
                refusal = ErrorCode.TOO_MANY_SUBSCRIPTIONS;
            } else {
                Subscription[] more = Arrays.copyOf(subscriptions, subscriptions.length + 1);
                more[subscriptions.length] = s;
                subscriptions = more;
            }
        }
        if (refusal == ErrorCode.ALREADY_SUBSCRIBED) {
            error(refusal, "already subscribed", name);
            return;
        }
        if (refusal == ErrorCode.TOO_MANY_SUBSCRIPTIONS) {
            error(refusal, "at most " + hub.limits().maxSubscriptions() + " subscriptions", name);
            return;
        }
        if (!channel.subscribe(s, (Long) since, (String) epoch)) {
            closeSlowConsumer("replies");
            return;
        }
        if (closed) {
            channel.unsubscribe(s); // closed while subscribing: closeNow may have missed it
        }
        drain();
    }

    private void unsubscribe(Map<?, ?> request) {
        Channel channel = channelOf(request);
        if (channel == null) {
            return;
        }
        Subscription s;
        synchronized (this) {
            int i = indexOf(channel.name);
            s = i < 0 ? null : subscriptions[i];
            if (s != null) {
                Subscription[] fewer = new Subscription[subscriptions.length - 1];
                System.arraycopy(subscriptions, 0, fewer, 0, i);
                System.arraycopy(subscriptions, i + 1, fewer, i, fewer.length - i);
                subscriptions = fewer.length == 0 ? NO_SUBSCRIPTIONS : fewer;
            }
            if (s != null) {
                deactivate(s);
            }
        }
        if (s == null) {
            error(ErrorCode.NOT_SUBSCRIBED, "not subscribed", channel.name);
            return;
        }
        channel.unsubscribe(s);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("stream", channel.name);
        reply(StreamHub.message("unsubscribed", fields, hub.scheduler().currentTimeMillis()));
    }

    /** The channel named by the request's "stream", or null after replying with an error. */
    private Channel channelOf(Map<?, ?> request) {
        Object stream = request.get("stream");
        if (!(stream instanceof String name)) {
            error(ErrorCode.INVALID_REQUEST, "request needs a string \"stream\"", null);
            return null;
        }
        Channel channel = hub.channel(name);
        if (channel == null) {
            error(ErrorCode.UNKNOWN_STREAM, "unknown stream", name.length() <= 64 ? name : null);
            return null;
        }
        return channel;
    }

    private void error(ErrorCode code, String message, String stream) {
        hub.errorReplies.increment();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("message", message);
        fields.put("code", code.wire());
        if (stream != null) {
            fields.put("stream", stream);
        }
        reply(StreamHub.message("error", fields, hub.scheduler().currentTimeMillis()));
    }

    private void reply(OutboundMessage message) {
        if (enqueueReply(message)) {
            drain();
        } else {
            closeSlowConsumer("replies");
        }
    }

    // ---- offers (any thread) ----

    /** Queues a reply; false if too many are waiting (the caller closes the connection). */
    boolean enqueueReply(OutboundMessage message) {
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (replies == null) {
                replies = new ArrayDeque<>(2);
            } else if (replies.size() >= hub.limits().maxPendingReplies()) {
                return false;
            }
            replies.addLast(message);
            return true;
        }
    }

    /** Offers a published message; false if the subscription's queue overflowed (caller closes). */
    boolean offer(Subscription s, OutboundMessage message) {
        synchronized (this) {
            if (!s.active) {
                return true;
            }
            if (s.conflate) {
                if (s.latest != null) {
                    s.channel.dropped.increment(); // conflated: the newer value replaces it
                }
                s.latest = message;
            } else {
                if (s.queue.size() >= s.channel.options.queueCapacity() + s.replayAllowance) {
                    s.channel.dropped.add(s.clear() + 1L);
                    s.active = false;
                    return false;
                }
                s.queue.addLast(message);
            }
            markReady(s);
            return true;
        }
    }

    /** Queues a resume replay regardless of the queue bound (it is bounded by history instead). */
    void offerReplay(Subscription s, List<OutboundMessage> replay) {
        if (replay.isEmpty()) {
            return;
        }
        synchronized (this) {
            s.queue.addAll(replay);
            s.replayAllowance = replay.size();
            markReady(s);
        }
    }

    private void markReady(Subscription s) {
        if (!s.ready) {
            s.ready = true;
            if (readyTail == null) {
                readyHead = s;
            } else {
                readyTail.nextReady = s;
            }
            readyTail = s;
        }
    }

    private void deactivate(Subscription s) {
        s.active = false;
        s.clear();
    }

    // ---- delivery ----

    /** Sends what is pending while the session is writable. Safe to call from any thread, any time. */
    void drain() {
        if ((int) WIP.getAndAdd(this, 1) != 0) {
            return;
        }
        int missed = 1;
        do {
            try {
                drainOnce();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "session send failed; closing", e);
                closeNow(StreamCloseCodes.HUB_ERROR, "server error");
            }
            missed = (int) WIP.getAndAdd(this, -missed) - missed;
        } while (missed != 0);
    }

    private void drainOnce() {
        while (!closed && session.isWritable()) {
            OutboundMessage next;
            Channel from = null;
            synchronized (this) {
                next = null;
                if (replies != null) {
                    next = replies.pollFirst();
                    if (replies.isEmpty()) {
                        replies = null;
                    }
                }
                if (next == null) {
                    Subscription s;
                    do {
                        s = readyHead;
                        if (s == null) {
                            return;
                        }
                        readyHead = s.nextReady;
                        if (readyHead == null) {
                            readyTail = null;
                        }
                        s.nextReady = null;
                        s.ready = false;
                    } while (!s.active || !s.hasPending());
                    next = s.take();
                    from = s.channel;
                    if (s.hasPending()) {
                        markReady(s);
                    }
                }
            }
            session.send(next);
            if (from != null) {
                from.delivered.increment();
            }
        }
    }

    @Override
    public void writable() {
        drain();
    }

    // ---- closing ----

    /** Closes because {@code what} overflowed: the client reads too slowly. It may reconnect and resume. */
    void closeSlowConsumer(String what) {
        if (closeNow(StreamCloseCodes.SLOW_CONSUMER, "slow consumer: " + what + " backlog full; resume from your last seq")) {
            hub.slowConsumers.increment();
        }
    }

    /** Releases everything and asks the session to close; false if already closed. */
    boolean closeNow(int code, String reason) {
        if (!release()) {
            return false;
        }
        try {
            session.close(code, reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "session close failed", e);
        }
        return true;
    }

    @Override
    public void closed() {
        release();
    }

    /** Index of the subscription to stream {@code name}, or -1; holding the monitor. */
    private int indexOf(String name) {
        for (int i = 0; i < subscriptions.length; i++) {
            if (subscriptions[i].channel.name.equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean release() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return false;
        }
        List<Subscription> all;
        synchronized (this) {
            all = Arrays.asList(subscriptions);
            subscriptions = NO_SUBSCRIPTIONS;
            for (Subscription s : all) {
                deactivate(s);
            }
            replies = null;
            for (Subscription s = readyHead; s != null; ) {
                Subscription next = s.nextReady;
                s.nextReady = null;
                s = next;
            }
            readyHead = null;
            readyTail = null;
        }
        for (Subscription s : all) {
            s.channel.unsubscribe(s);
        }
        hub.removeConnection(this);
        return true;
    }
}
