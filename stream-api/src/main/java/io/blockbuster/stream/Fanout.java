package io.blockbuster.stream;

/**
 * How a transport delivers one published message to many of its sessions, each on the session's
 * own thread, gathering what is published while that thread is busy. The websocket-core binding
 * does it with a {@code WebSocketGroup}; a transport without one returns no fanout from
 * {@link StreamSession#fanout()} and the hub delivers on the publishing thread.
 *
 * <p>The hub keeps one {@link Group} per stream and fanout. Calls on one group come one at a time
 * (under the stream's lock), so a group sees adds, removes and publishes in the stream's order.
 *
 * <p>Overload: what waits for a busy thread must stay bounded. A group for a LATEST stream hands a
 * thread that fell behind only the newest waiting message (counting the others in
 * {@link Group#conflated()}); a group for a QUEUE stream reports, from {@link Group#publish}, that
 * the publisher should slow down, and past its bound sheds the oldest waiting messages, telling the
 * members through {@link Receiver#missed}. What is late by time, not by count, the hub judges itself:
 * each publish carries the hub's clock reading, which the group hands to the receivers untouched
 * (see {@link StreamOptions#maxDeliveryLag()}).
 */
public interface Fanout {

    /**
     * A new, empty group for one stream: {@code latestOnly} for a LATEST stream; otherwise at most
     * {@code maxBacklog} messages may wait for a busy thread before the oldest is shed.
     */
    Group newGroup(boolean latestOnly, int maxBacklog);

    /** Takes the published messages for one member, on the member's session's thread. */
    interface Receiver {
        /**
         * One published message; what is sent to the session meanwhile may be written after the call.
         * {@code publishedNanos} is the value given to {@link Group#publish}, passed on unchanged.
         */
        void receive(OutboundMessage message, long publishedNanos);

        /** {@code count} messages were shed before they reached this member (its thread fell too far behind). */
        void missed(long count);
    }

    /** One stream's sessions of this fanout. */
    interface Group {
        /** Adds {@code session}: from now on each published message goes to {@code receiver}, in publish order. */
        void add(StreamSession session, Receiver receiver);

        /** Removes {@code session}; messages already handed over may still reach its receiver. */
        void remove(StreamSession session);

        /**
         * Hands {@code message} to every member's receiver, each on its session's thread, with
         * {@code publishedNanos} (the hub's clock when it published); returns at once: false when a
         * thread is behind and the publisher should slow down.
         */
        boolean publish(OutboundMessage message, long publishedNanos);

        /** Deliveries (one per member and message) conflated away while a thread was behind; LATEST groups only. */
        long conflated();
    }
}
