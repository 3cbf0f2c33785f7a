package io.blockbuster.stream.internal;

import io.blockbuster.stream.DeliveryPolicy;
import io.blockbuster.stream.OutboundMessage;
import java.util.ArrayDeque;

/**
 * One session's subscription to one channel: what is waiting to be sent to it. All mutable state
 * is guarded by the owning session's monitor.
 */
final class Subscription {
    final HubSession session;
    final Channel channel;
    final boolean conflate;

    /** LATEST: the newest message not yet sent. */
    OutboundMessage latest;
    /** QUEUE: messages not yet sent, in order. */
    final ArrayDeque<OutboundMessage> queue;
    /** QUEUE: extra room granted for a resume replay, consumed as the replay drains. */
    int replayAllowance;
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
        this.queue = conflate ? null : new ArrayDeque<>(0); // grows on demand: idle subscribers stay small
    }

    boolean hasPending() {
        return conflate ? latest != null : !queue.isEmpty();
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
        return queue.pollFirst();
    }

    /** Drops everything pending; returns how many messages that was. */
    int clear() {
        if (conflate) {
            int n = latest == null ? 0 : 1;
            latest = null;
            return n;
        }
        int n = queue.size();
        queue.clear();
        return n;
    }
}
