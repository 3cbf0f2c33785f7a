package io.blockbuster.stream.internal;

import io.blockbuster.stream.DeliveryPolicy;
import io.blockbuster.stream.Fanout;
import io.blockbuster.stream.OutboundMessage;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One session's subscription to one channel: what is waiting to be sent to it. All mutable state
 * is guarded by the owning session's monitor. It is also its own receiver in the channel's fanout
 * group (no adapter object per subscriber: idle footprint, and one pointer hop less per delivery).
 */
final class Subscription implements Fanout.Receiver {
    final HubSession session;
    final Channel channel;
    final boolean conflate;

    /** LATEST: the newest message not yet sent. */
    OutboundMessage latest;
    /** QUEUE: messages not yet sent, in order; null while none wait (most of the time: idle footprint). */
    private ArrayDeque<OutboundMessage> queue;
    /** QUEUE: extra room granted for a resume replay, consumed as the replay drains. */
    int replayAllowance;
    /**
     * QUEUE: the seq of the last data message sent (or, before the first, the one live delivery or the
     * replay continues after): the {@code since} of a {@code delivery_late} notice.
     */
    long lastSeq;
    /**
     * QUEUE: messages were not sent because its thread reached them too late, and the {@code resync}
     * notice saying so has not gone out: it precedes the next message sent. A flag, not a queued
     * notice, so a subscriber that is late again before the notice is sent still gets one, and its
     * memory does not grow. (A skip of the stream's newest message on a writable connection is told
     * at once instead: nothing may follow for a while.)
     */
    boolean late;
    /** Whether it sits in the session's ready ring. */
    boolean ready;
    /** The next in the session's ready ring (a singly linked FIFO), or null. */
    Subscription nextReady;
    /** False once unsubscribed, closed or overflowed: offers are ignored. */
    boolean active = true;

    Subscription(HubSession session, Channel channel) {
        this.session = session;
        this.channel = channel;
        this.conflate = channel.options.policy() == DeliveryPolicy.LATEST;
    }

    /** From the fanout group, on the session's thread. */
    @Override
    public void receive(OutboundMessage message, long publishedNanos) {
        session.deliver(this, message, publishedNanos);
    }

    /** From the fanout group, on the session's thread. */
    @Override
    public void missed(long count) {
        // Its thread fell so far behind that the group shed messages before they reached it: late, as
        // when a message is older than maxDeliveryLag. (LATEST groups conflate and never shed.)
        session.skipLate(this, count, 0);
    }

    boolean hasPending() {
        return conflate ? latest != null : queue != null && !queue.isEmpty();
    }

    /** QUEUE: messages waiting. */
    int queued() {
        return queue == null ? 0 : queue.size();
    }

    /** QUEUE: the seq of the next message waiting; there is one. */
    long nextSeq() {
        return queue.peekFirst().seq();
    }

    /** QUEUE: one more waiting. */
    void enqueue(OutboundMessage message) {
        if (queue == null) {
            queue = new ArrayDeque<>();
        }
        queue.addLast(message);
    }

    /** QUEUE: a replay waiting, ahead of what comes later. */
    void enqueueAll(List<OutboundMessage> messages) {
        if (queue == null) {
            queue = new ArrayDeque<>(messages.size() + 1);
        }
        queue.addAll(messages);
    }

    OutboundMessage take() {
        if (conflate) {
            OutboundMessage m = latest;
            latest = null;
            return m;
        }
        if (replayAllowance > 0) {
            replayAllowance--;
        }
        OutboundMessage m = queue.pollFirst();
        if (queue.isEmpty()) {
            queue = null; // an idle subscriber holds no deque; a busy one makes one per burst
        }
        return m;
    }

    /** Drops everything pending; returns how many messages that was. */
    int clear() {
        if (conflate) {
            int n = latest == null ? 0 : 1;
            latest = null;
            return n;
        }
        int n = queued();
        queue = null;
        replayAllowance = 0;
        return n;
    }
}
