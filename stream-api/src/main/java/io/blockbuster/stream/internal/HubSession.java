package io.blockbuster.stream.internal;

import io.blockbuster.stream.HubConnection;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.StreamCloseCodes;
import io.blockbuster.stream.StreamSession;
import io.blockbuster.stream.protocol.ClientRequest;
import io.blockbuster.stream.protocol.ErrorCode;
import io.blockbuster.stream.protocol.ServerMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hub's state for one session: its subscriptions, the replies waiting to go out, and the drain
 * loop that moves pending messages to the transport's {@link StreamSession} while it is writable.
 * The transport sees it as the {@link HubConnection} it feeds the connection's events to.
 *
 * <p>Drain order: replies and notices first (so {@code subscribed} precedes its snapshot and a
 * {@code resync} notice precedes its replay), then subscriptions round-robin, one message each, so
 * one busy stream cannot starve another. Only one thread drains at a time (work-in-progress counter);
 * whoever offers a message calls {@link #drain()}, and a drain that is busy elsewhere is repeated by
 * the thread already draining.
 */
public final class HubSession implements HubConnection {
    private static final System.Logger LOG = System.getLogger(HubSession.class.getName());
    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];

    private final HubContext hub;
    final StreamSession transport;
    private final TokenBucket bucket; // only touched by receive* (one transport thread at a time)
    // Plain fields behind VarHandles rather than two Atomic* objects per session (idle footprint).
    private static final VarHandle WIP;
    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WIP = lookup.findVarHandle(HubSession.class, "wip", int.class);
            CLOSED = lookup.findVarHandle(HubSession.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through WIP
    private volatile int wip;
    private volatile boolean closed;

    // Guarded by this session's own monitor (not a separate lock object: idle footprint); the
    // transport sees a HubSession only as a HubConnection, so no one else locks it.
    // Sized for idle sessions, which are most of them: replies exist only while some wait
    // (requests are rare), and the ready ring is linked through the subscriptions themselves.
    private ArrayDeque<OutboundMessage> replies;
    private Subscription readyHead;
    private Subscription readyTail;
    // In order of subscribing, exactly sized: most sessions hold one or two, changed rarely,
    // so an array searched by name costs less memory than a map (idle footprint).
    private Subscription[] subscriptions = NO_SUBSCRIPTIONS;

    private HubSession(HubContext hub, StreamSession transport) {
        this.hub = hub;
        this.transport = transport;
        this.bucket = new TokenBucket(hub.limits.maxRequestsPerSecond(), hub.scheduler.nanoTime());
    }

    /**
     * Accepts a new connection: checks the authorizer, sends the {@code welcome}, and returns the
     * session the transport feeds. On a closed hub or a refused handshake the transport is closed at
     * once ({@link StreamCloseCodes#SHUTTING_DOWN} or {@link StreamCloseCodes#NOT_AUTHORIZED}) and the
     * returned session ignores everything.
     */
    public static HubSession open(HubContext hub, StreamSession transport) {
        HubSession s = new HubSession(hub, transport);
        hub.added(s);
        hub.activity.connected(transport);
        if (hub.isClosed()) {
            s.shutDown();
            return s;
        }
        if (!hub.mayConnect(transport.handshake())) {
            s.closeNow(StreamCloseCodes.NOT_AUTHORIZED, "not authorized");
            return s;
        }
        List<String> available = new ArrayList<>();
        for (String name : hub.channels().keySet()) {
            if (hub.maySubscribe(transport.handshake(), name)) {
                available.add(name);
            }
        }
        s.enqueueReply(OutboundMessage.ofText(new ServerMessage.Welcome(hub.welcomeMessage, available, hub.epoch(),
                hub.scheduler.currentTimeMillis()).toJson()));
        if (hub.isClosed()) { // closed meanwhile: the hub's close may have missed this session
            s.shutDown();
        }
        s.drain();
        return s;
    }

    // ---- requests (transport thread) ----

    @Override
    public void receiveText(CharSequence text) {
        if (closed) {
            return;
        }
        if (!bucket.tryAcquire(hub.scheduler.nanoTime())) {
            error(ErrorCode.RATE_LIMITED, "more than " + hub.limits.maxRequestsPerSecond() + " requests per second", null);
            return;
        }
        ClientRequest request = hub.requests.decode(text);
        if (request instanceof ClientRequest.Subscribe subscribe) {
            subscribe(subscribe);
        } else if (request instanceof ClientRequest.Unsubscribe unsubscribe) {
            unsubscribe(unsubscribe.stream());
        } else if (request instanceof ClientRequest.Ping) {
            reply(new ServerMessage.Pong(hub.scheduler.currentTimeMillis()).toJson());
        } else if (request instanceof ClientRequest.Invalid invalid) {
            error(invalid.code(), invalid.message(), invalid.stream());
        }
    }

    @Override
    public void receiveBinary() {
        if (!closed) {
            error(ErrorCode.UNSUPPORTED_MESSAGE, "binary messages are not supported; send JSON text", null);
        }
    }

    private void subscribe(ClientRequest.Subscribe request) {
        Channel channel = channelOf(request.stream());
        if (channel == null) {
            return;
        }
        String name = channel.name;
        if (!hub.maySubscribe(transport.handshake(), name)) {
            error(ErrorCode.NOT_AUTHORIZED, "not authorized for this stream", name);
            return;
        }
        Subscription s = new Subscription(this, channel);
        ErrorCode refusal = null;
        synchronized (this) {
            if (indexOf(name) >= 0) {
                refusal = ErrorCode.ALREADY_SUBSCRIBED;
            } else if (subscriptions.length >= hub.limits.maxSubscriptions()) {
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
            error(refusal, "at most " + hub.limits.maxSubscriptions() + " subscriptions", name);
            return;
        }
        if (!channel.subscribe(s, request.since(), request.epoch())) {
            closeSlowConsumer("replies");
            return;
        }
        HubEvents.subscribed(name, channel.options.policy(), request.since() != null);
        if (closed) {
            channel.unsubscribe(s); // closed while subscribing: closeNow may have missed it
        }
        hub.activity.subscribed(transport, name);
        drain();
    }

    private void unsubscribe(String stream) {
        Channel channel = channelOf(stream);
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
        hub.activity.unsubscribed(transport, channel.name);
        reply(new ServerMessage.Unsubscribed(channel.name, hub.scheduler.currentTimeMillis()).toJson());
    }

    /** The channel named {@code name}, or null after replying with an error. */
    private Channel channelOf(String name) {
        Channel channel = hub.channel(name);
        if (channel == null) {
            // The original Python server's words, which its front ends show; clients match the code.
            error(ErrorCode.UNKNOWN_STREAM, "Invalid stream name", name.length() <= 64 ? name : null);
        }
        return channel;
    }

    private void error(ErrorCode code, String message, String stream) {
        hub.errorReplies.increment();
        reply(new ServerMessage.ErrorReply(code.wire(), message, stream, hub.scheduler.currentTimeMillis()).toJson());
    }

    private void reply(String json) {
        reply(OutboundMessage.ofText(json));
    }

    private void reply(OutboundMessage message) {
        if (enqueueReply(message)) {
            drain();
        } else {
            closeSlowConsumer("replies");
        }
    }

    // ---- offers (any thread) ----

    /** Queues a reply; false if too many are waiting (the caller closes the session). */
    boolean enqueueReply(OutboundMessage message) {
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (replies == null) {
                replies = new ArrayDeque<>(2);
            } else if (replies.size() >= hub.limits.maxPendingReplies()) {
                return false;
            }
            replies.addLast(message);
            return true;
        }
    }

    /** Offers a published message; false if the subscription's queue overflowed (caller closes). */
    boolean offer(Subscription s, OutboundMessage message) {
        synchronized (this) {
            return offerLocked(s, message);
        }
    }

    /** {@link #offer}, holding the monitor. */
    private boolean offerLocked(Subscription s, OutboundMessage message) {
        if (!s.active) {
            return true;
        }
        if (s.conflate) {
            if (s.latest != null) {
                s.channel.conflated.increment(); // the newer value replaces it
            }
            s.latest = message;
        } else {
            if (s.queued() >= s.channel.options.queueCapacity() + s.replayAllowance) {
                s.channel.dropped.add(s.clear() + 1L);
                s.active = false;
                return false;
            }
            s.enqueue(message);
        }
        markReady(s);
        return true;
    }

    /**
     * Starts QUEUE subscription {@code s}: queues its resume replay regardless of the queue bound (it is
     * bounded by history instead), live delivery continuing after seq {@code liveAfter}.
     */
    void startQueue(Subscription s, List<OutboundMessage> replay, long liveAfter) {
        synchronized (this) {
            s.lastSeq = replay.isEmpty() ? liveAfter : replay.get(0).seq() - 1;
            if (!replay.isEmpty()) {
                s.enqueueAll(replay);
                s.replayAllowance = replay.size();
                markReady(s);
            }
        }
    }

    /**
     * A published message for {@code s} from its fanout group, on this session's own thread. A QUEUE
     * message later than the stream's {@code maxDeliveryLag} is not sent ({@link #skipLate}).
     * When nothing waits ahead of it and no other thread drains, the message goes straight to the
     * transport: no queue entry, no ready ring, one lock instead of three; otherwise it is queued
     * and drained as any offer (so is the first message after a gap: its notice goes first).
     */
    void deliver(Subscription s, OutboundMessage message, long publishedNanos) {
        if (!s.active) {
            // Read without the monitor: active only ever turns false, and a stale true is checked again
            // below under it.
            return;
        }
        if (hub.scheduler.nanoTime() - publishedNanos > s.channel.maxLagNanos) {
            skipLate(s, 1, message.seq());
            return;
        }
        if (!WIP.compareAndSet(this, 0, 1)) { // another thread drains: it sends this after what waits
            if (offer(s, message)) {
                drain();
            } else {
                closeSlowConsumer(s.channel.name);
            }
            return;
        }
        boolean now;
        boolean overflowed = false;
        synchronized (this) {
            now = s.active && !s.late && !closed && replies == null && readyHead == null && transport.isWritable();
            if (now) {
                s.lastSeq = message.seq();
            } else {
                overflowed = !offerLocked(s, message);
            }
        }
        int missed = 1;
        if (now) {
            try {
                transport.send(message);
                s.channel.delivered.increment();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "session send failed; closing", e);
                closeNow(StreamCloseCodes.HUB_ERROR, "server error");
            }
            missed = (int) WIP.getAndAdd(this, -1) - 1; // offers made meanwhile are drained below
        }
        if (missed != 0) {
            drainHeld(missed);
        }
        if (overflowed) {
            closeSlowConsumer(s.channel.name);
        }
    }

    /**
     * {@code count} messages for {@code s} are late, the newest of them {@code skippedSeq} (0 if
     * unknown): its thread reached them after the stream's {@code maxDeliveryLag}, or the fanout shed
     * them before it got there. They are not sent, nor is what still waits in its queue (older, so
     * later still); all count as {@code shed}. The subscriber stays, and is told the gap with one
     * {@code resync} notice (reason {@code delivery_late}) just before the next message it is sent;
     * or at once, if it skipped the stream's newest message and its connection is writable (the next
     * message may be far off, and its seq is known: the one after). Told, not closed: a close would be
     * a close handshake, a reconnect and a replay on the very thread that is behind, and would put the
     * subscribers it kept behind as well. Lateness is the server's fault; a client that reads too
     * slowly overflows its queue instead, and is closed.
     */
    void skipLate(Subscription s, long count, long skippedSeq) {
        int pending;
        OutboundMessage toldNow = null;
        synchronized (this) {
            if (!s.active) {
                return; // closed or unsubscribed meanwhile; nothing more is sent to it anyway
            }
            pending = s.clear();
            if (skippedSeq > 0 && skippedSeq == s.channel.lastSeq() && transport.isWritable()) {
                // Whatever comes next is newer: the gap ends here for now, and the client has been
                // told up to here (a later skip starts a new gap from here).
                toldNow = s.channel.lateNotice(s.lastSeq, skippedSeq + 1);
                s.lastSeq = skippedSeq;
                s.late = false;
            } else {
                s.late = true;
            }
        }
        s.channel.shed.add(count + pending);
        if (toldNow != null) {
            reply(toldNow);
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
        if ((int) WIP.getAndAdd(this, 1) == 0) {
            drainHeld(1);
        }
    }

    /** Drains while this thread holds the drain, {@code missed} being the requests it answers for. */
    private void drainHeld(int missed) {
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
        while (!closed && transport.isWritable()) {
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
                    if (s.late) { // the gap's notice, then (on its next turn) the message after it
                        s.late = false;
                        next = s.channel.lateNotice(s.lastSeq, s.nextSeq());
                    } else {
                        next = s.take();
                        s.lastSeq = next.seq();
                        from = s.channel;
                    }
                    if (s.hasPending()) {
                        markReady(s);
                    }
                }
            }
            transport.send(next);
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

    /** Closes with {@link StreamCloseCodes#SHUTTING_DOWN}: the hub is closing. */
    public void shutDown() {
        closeNow(StreamCloseCodes.SHUTTING_DOWN, "server shutting down");
    }

    /** Closes because {@code what} overflowed: the client reads too slowly. It may reconnect and resume. */
    void closeSlowConsumer(String what) {
        if (closeNow(StreamCloseCodes.SLOW_CONSUMER, "slow consumer: " + what + " backlog full; resume from your last seq")) {
            hub.slowConsumers.increment();
            HubEvents.slowConsumer(what);
        }
    }

    /** Releases everything and asks the session to close; false if already closed. */
    boolean closeNow(int code, String reason) {
        if (!release()) {
            return false;
        }
        try {
            transport.close(code, reason);
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
        hub.removed(this);
        hub.activity.disconnected(transport);
        return true;
    }
}
