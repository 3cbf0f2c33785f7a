package io.blockbuster.stream.internal;

import io.blockbuster.stream.DeliveryPolicy;
import io.blockbuster.stream.IncrementalSource;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.PolledSource;
import io.blockbuster.stream.PublishResult;
import io.blockbuster.stream.SourceStatus;
import io.blockbuster.stream.StreamEngine;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.StreamSource;
import io.blockbuster.stream.StreamStats;
import io.blockbuster.stream.protocol.DataEnvelope;
import io.blockbuster.stream.protocol.ServerMessage;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * One named stream inside a hub: sequence numbers, the latest message, bounded history and the
 * subscriber list. Lock order: engine, then channel, then session, never the other way round.
 *
 * <p>This is the one place that owns a stream's log. {@link #publish} hands a serialized value to
 * the hub's {@link StreamEngine}, which assigns (epoch, seq) and gives it back to {@link #receive}
 * on this node and on every other node of a cluster; receiving encodes the envelope once, appends to
 * history and offers the same {@link OutboundMessage} to every local subscriber. {@link #subscribe}
 * reads that history since a seq. {@link #reset} is the engine saying the shared history was lost.
 */
public final class Channel implements PushTarget, StreamEngine.Receiver {
    private static final Subscription[] NONE = new Subscription[0];

    final HubContext hub;
    final String name;
    final StreamSource source;
    final StreamOptions options;
    /** QUEUE: {@link StreamOptions#maxDeliveryLag()}; LATEST: none (a thread that fell behind gets the newest value only). */
    final long maxLagNanos;
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder conflated = new LongAdder();
    final LongAdder shed = new LongAdder();
    final SourceState status = new SourceState();
    private SourcePoller poller; // guarded by this
    private StreamEngine.Stream shared; // guarded by this; null until joined and after stop
    /** Whether a fanout group was behind at the last delivery: {@link PublishResult#PUSHED_BACK}. */
    private volatile boolean behind;
    /** The last {@link #lateNotice}: the subscribers of a thread that skipped the same messages share it. */
    private volatile LateNotice lastLateNotice;

    // Guarded by this.
    // Changes only when the engine lost the stream's history (reset); volatile for lateNotice, which a
    // session builds holding its own monitor (the channel's lock may not be taken there).
    private volatile String epoch;
    private DataEnvelope envelope;
    private volatile long seq; // volatile for lastSeq(), read by sessions without the lock
    private byte[] lastData;
    private OutboundMessage latest;
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private DeliveryGroups subscribers = DeliveryGroups.EMPTY;

    private record Entry(long seq, OutboundMessage message) {
    }

    private record LateNotice(long since, long firstSeq, String epoch, OutboundMessage message) {
    }

    /** Stream {@code name} of the hub of {@code hub}, fed by {@code source}; not started. */
    public Channel(HubContext hub, String name, StreamSource source, StreamOptions options) {
        this.hub = hub;
        this.name = name;
        this.source = source;
        this.options = options;
        this.maxLagNanos = options.policy() == DeliveryPolicy.QUEUE ? options.maxDeliveryLag().toNanos() : Long.MAX_VALUE;
        this.epoch = hub.epoch();
        this.envelope = new DataEnvelope(name, epoch);
    }

    /** Starts the source (a poller for polled and incremental sources). */
    public void start() {
        status.starting();
        synchronized (this) {
            joined();
        }
        if (source instanceof PolledSource || source instanceof IncrementalSource) { // pushed: no poller
            SourcePoller p = new SourcePoller(this);
            synchronized (this) {
                poller = p;
            }
            p.start();
        }
    }

    /** Stops the source. */
    public void stop() {
        SourcePoller p;
        synchronized (this) {
            p = poller;
            poller = null;
        }
        if (p != null) {
            p.stop();
        }
        StreamEngine.Stream s;
        synchronized (this) {
            s = shared;
            shared = null;
        }
        if (s != null) {
            s.leave();
        }
        status.stopped();
    }

    /** The source's status now. */
    public SourceStatus status() {
        return status.get();
    }

    @Override
    public PublishResult publish(Object value) {
        if (hub.isClosed()) {
            return PublishResult.HUB_CLOSED;
        }
        byte[] data = hub.codec.writeUtf8(value);
        if (!publish(data, false, null)) {
            return PublishResult.UNAVAILABLE;
        }
        if (status.get().health() != SourceStatus.Health.STOPPED) {
            status.succeeded(Instant.ofEpochMilli(hub.scheduler.currentTimeMillis()));
        }
        return behind ? PublishResult.PUSHED_BACK : PublishResult.PUBLISHED;
    }

    @Override
    public void reportFailure(Throwable error) {
        status.failed(SourceState.describe(error), Instant.ofEpochMilli(hub.scheduler.currentTimeMillis()));
    }

    /**
     * Publishes one serialized value through the engine. With {@code skipEqual}, a value whose JSON
     * equals the previous one is not published (polled sources); {@code dedupKey} names an incremental
     * source's item (the engine drops a key some node already published).
     *
     * @return false if the engine could not accept the value (its store unreachable)
     */
    boolean publish(byte[] data, boolean skipEqual, String dedupKey) {
        StreamEngine.Stream s;
        synchronized (this) {
            if (skipEqual && Arrays.equals(data, lastData)) {
                return true;
            }
            s = joined(); // a pushed source may publish before the hub starts
        }
        return s.publish(data, hub.scheduler.currentTimeMillis(), dedupKey, skipEqual);
    }

    /** This channel's share of the engine, joined on first use; the caller holds this channel's lock. */
    private StreamEngine.Stream joined() {
        if (shared == null) {
            shared = hub.engine.join(name, options, this);
        }
        return shared;
    }

    /**
     * Takes message {@code sequence} of the stream from the engine: keeps it as latest and in
     * history, and offers it to every subscriber.
     *
     * <p>Subscribers whose sessions name a {@link io.blockbuster.stream.Fanout} get the message through
     * their fanout group, handed over under the channel lock so every subscriber sees seq order; the
     * publishing thread does one hand-off per group, not one send per subscriber. The others are
     * offered the message here, under the lock, and drained on this thread after it.
     *
     * <p>When a fanout group is behind, {@link #behind} tells the next publisher to slow down.
     */
    @Override
    public void receive(long sequence, long millis, byte[] data) {
        boolean keepingUp = true;
        Subscription[] here = NONE;
        List<Subscription> overflowed = null;
        synchronized (this) {
            if (sequence <= seq) {
                return; // already had it (an engine that re-reads after a reconnect)
            }
            if (seq > 0 && sequence > seq + 1 && options.policy() == DeliveryPolicy.QUEUE) {
                // seqs seq+1 .. sequence-1 were trimmed from the shared history before this node read them
                notifySubscribers(ServerMessage.Resync.HISTORY_TRUNCATED, seq, sequence);
            }
            lastData = data;
            seq = sequence;
            OutboundMessage message = OutboundMessage.ofData(envelope.write(data, seq, millis), seq);
            latest = message;
            history.addLast(new Entry(seq, message));
            int keep = options.policy() == DeliveryPolicy.LATEST ? 1 : options.historyCapacity();
            while (history.size() > keep) {
                history.removeFirst();
            }
            published.increment();
            long now = hub.scheduler.nanoTime(); // what the subscribers' maxDeliveryLag is measured from
            for (DeliveryGroups.Group g : subscribers.groups()) {
                if (g.delivery() == null) {
                    here = g.members();
                } else {
                    keepingUp &= g.delivery().publish(message, now);
                }
            }
            for (Subscription s : here) {
                if (!s.session.offer(s, message)) {
                    if (overflowed == null) {
                        overflowed = new ArrayList<>();
                    }
                    overflowed.add(s);
                }
            }
        }
        // Outside the channel lock: deliver, and close whoever overflowed.
        for (Subscription s : here) {
            s.session.drain();
        }
        if (overflowed != null) {
            for (Subscription s : overflowed) {
                s.session.closeSlowConsumer(name);
            }
        }
        behind = !keepingUp;
    }

    /**
     * The engine lost the stream's history, or names its shared epoch for the first time: what this
     * node retains is void. Event-stream subscribers are told with a {@code resync} notice
     * ({@code epoch_changed}) if they may have seen messages of the old epoch.
     */
    @Override
    public void reset(String newEpoch) {
        DeliveryGroups toDrain;
        synchronized (this) {
            if (newEpoch.equals(epoch)) {
                return;
            }
            long oldSeq = seq;
            epoch = newEpoch;
            envelope = new DataEnvelope(name, newEpoch);
            seq = 0;
            lastData = null;
            latest = null;
            history.clear();
            if (oldSeq > 0 && options.policy() == DeliveryPolicy.QUEUE) {
                notifySubscribers(ServerMessage.Resync.EPOCH_CHANGED, oldSeq, 1);
            }
            toDrain = subscribers;
        }
        for (DeliveryGroups.Group g : toDrain.groups()) {
            for (Subscription s : g.members()) {
                s.session.drain();
            }
        }
    }

    /** A resync notice to every subscriber; the caller holds this channel's lock. */
    private void notifySubscribers(String reason, long since, long firstSeq) {
        OutboundMessage notice = OutboundMessage.ofText(
                new ServerMessage.Resync(name, reason, since, firstSeq, epoch, hub.scheduler.currentTimeMillis()).toJson());
        for (DeliveryGroups.Group g : subscribers.groups()) {
            for (Subscription s : g.members()) {
                s.session.enqueueReply(notice); // a full reply queue: the next overflow closes it
            }
        }
    }

    /**
     * The {@code resync} notice (reason {@code delivery_late}) that seqs {@code since + 1 .. firstSeq - 1}
     * were not sent to a subscriber: they were late. Any thread, any lock held. The subscribers of a
     * thread that fell behind skipped the same messages, so the same notice is handed to each of them
     * (encoded and framed once, as a published message is), not thousands of equal ones built on the
     * thread that is behind.
     */
    OutboundMessage lateNotice(long since, long firstSeq) {
        String e = epoch;
        LateNotice last = lastLateNotice;
        if (last != null && last.since == since && last.firstSeq == firstSeq && last.epoch.equals(e)) {
            return last.message;
        }
        OutboundMessage message = OutboundMessage.ofText(new ServerMessage.Resync(name, ServerMessage.Resync.DELIVERY_LATE,
                since, firstSeq, e, hub.scheduler.currentTimeMillis()).toJson());
        lastLateNotice = new LateNotice(since, firstSeq, e, message); // two threads racing: either is fine
        return message;
    }

    /**
     * Adds {@code s}, atomically with what it must see first: the {@code subscribed} confirmation, then
     * the snapshot (LATEST) or the replay of
     * history after {@code since} (QUEUE), preceded by a {@code resync} notice when history does not
     * reach back or the epoch changed. Nothing published later can overtake or duplicate these.
     *
     * @return false if the session's replies overflowed (the caller closes it)
     */
    boolean subscribe(Subscription s, Long since, String epoch) {
        boolean ok = true;
        boolean firstSubscriber;
        SourcePoller p;
        synchronized (this) {
            // The confirmation carries the seq that live delivery continues after: a client that did not
            // ask to resume can use it as its resume point. Queued under the lock, it precedes any data.
            String policy = options.policy().name().toLowerCase(Locale.ROOT);
            long now = hub.scheduler.currentTimeMillis();
            if (!s.session.enqueueReply(OutboundMessage.ofText(
                    new ServerMessage.Subscribed(name, this.epoch, policy, seq, now).toJson()))) {
                return false;
            }
            if (options.policy() == DeliveryPolicy.LATEST) {
                if (latest != null) {
                    s.session.offer(s, latest);
                }
            } else if (since == null) {
                s.session.startQueue(s, List.of(), seq);
            } else {
                long first = history.isEmpty() ? seq + 1 : history.peekFirst().seq;
                long from = since + 1;
                String reason = null;
                if (epoch != null && !epoch.equals(this.epoch)) {
                    reason = ServerMessage.Resync.EPOCH_CHANGED; // seqs of another server run mean nothing here: replay all
                    from = 1;
                } else if (since > seq) {
                    reason = ServerMessage.Resync.AHEAD_OF_SERVER; // e.g. an old client without epoch after a restart
                    from = 1;
                } else if (from < first) {
                    reason = ServerMessage.Resync.HISTORY_TRUNCATED; // seqs from..first-1 are gone
                }
                if (reason != null) {
                    ok = s.session.enqueueReply(OutboundMessage.ofText(
                            new ServerMessage.Resync(name, reason, since, first, this.epoch, now).toJson()));
                }
                List<OutboundMessage> replay = new ArrayList<>();
                for (Entry e : history) {
                    if (e.seq >= from) {
                        replay.add(e.message);
                    }
                }
                s.session.startQueue(s, replay, seq);
            }
            subscribers = subscribers.plus(s);
            firstSubscriber = subscribers.size() == 1;
            p = poller; // read under the lock: stop() clears it
        }
        if (p != null && firstSubscriber) {
            p.firstSubscriber(); // outside the channel lock: the poller takes its own
        }
        return ok;
    }

    synchronized void unsubscribe(Subscription s) {
        subscribers = subscribers.minus(s);
        HubEvents.unsubscribed(name);
    }

    synchronized int subscriberCount() {
        return subscribers.size();
    }

    /** The newest seq; without the lock (a session may ask holding its own monitor). */
    long lastSeq() {
        return seq;
    }

    /** Conflated in subscriptions and in fanout groups whose threads fell behind. */
    private long conflated() {
        long n = conflated.sum();
        DeliveryGroups now;
        synchronized (this) {
            now = subscribers;
        }
        for (DeliveryGroups.Group g : now.groups()) {
            if (g.delivery() != null) {
                n += g.delivery().conflated();
            }
        }
        return n;
    }

    /** The stream's counters now. */
    public StreamStats stats() {
        return new StreamStats(name, options.policy(), subscriberCount(), lastSeq(), published.sum(),
                delivered.sum(), dropped.sum(), conflated(), shed.sum(), status.get());
    }
}
