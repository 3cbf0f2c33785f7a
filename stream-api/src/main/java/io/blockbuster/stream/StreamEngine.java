package io.blockbuster.stream;

import java.time.Duration;

/**
 * Where a hub's streams are numbered, kept and shared: the seam between one hub node and whatever
 * the nodes of a cluster share. The hub asks its engine to publish a serialized value; the engine
 * assigns the value its (epoch, seq) and hands it back, in seq order, to the {@link Receiver} of
 * every node that joined the stream, this one included. Each node keeps the history its receiver was
 * given (for resume), encodes each message once and fans it out to its own subscribers.
 *
 * <p>A hub built without an engine uses its own in-memory one: one node, seqs counted in this process, delivery on the
 * publishing thread, every lease always held; exactly the hub's single-node behaviour. The
 * {@code stream-redis} module provides an engine that shares streams between nodes through Redis.
 *
 * <p>Implementations are thread safe. A receiver's calls for one stream never overlap.
 */
public interface StreamEngine extends AutoCloseable {

    /**
     * Joins stream {@code name} on this node: from now on {@code receiver} gets every message of the
     * stream published on any node, gap-free and in seq order unless it is told otherwise
     * ({@link Receiver#reset}). An engine that shares history replays what it retains into the
     * receiver first (at most {@code options.historyCapacity()} messages), so a node that joins late
     * serves the same resume and snapshot as the others.
     */
    Stream join(String name, StreamOptions options, Receiver receiver);

    /**
     * A lease on running the source of stream {@code name}: exactly one node of the cluster should
     * poll a polled or incremental source. A holder that stops renewing loses it within about two
     * {@code pollInterval}s, and another node that wants it takes it over.
     */
    SourceLease lease(String name, Duration pollInterval);

    /** Whether the engine can do its work now (the in-memory engine always can). */
    EngineStatus status();

    /** Stops the engine's threads and connections. Idempotent. */
    @Override
    void close();

    /** One joined stream on this node. */
    interface Stream {
        /**
         * Publishes one serialized value. The engine assigns its (epoch, seq) and delivers it to every
         * node's receiver, possibly on this thread before this method returns.
         *
         * @param utf8 the value's JSON, not modified afterwards by either side
         * @param millis the publish time, carried to every node
         * @param dedupKey for incremental sources: an item whose key was already published among the
         *     stream's last {@code dedupCapacity} keys (by any node) is dropped; null for none
         * @param skipEqual for polled sources: a value equal to the stream's newest one is dropped
         * @return false if the engine cannot accept the value now (its store is unreachable): the value
         *     is not delivered anywhere
         */
        boolean publish(byte[] utf8, long millis, String dedupKey, boolean skipEqual);

        /** Leaves the stream: its receiver gets nothing more. Idempotent. */
        void leave();
    }

    /** What a node does with the messages of one stream; calls for one stream never overlap. */
    interface Receiver {
        /**
         * The message with number {@code seq} of the current epoch. Seqs rise; a seq that skips
         * numbers means the messages between them are lost to this node (history trimmed while it
         * could not read).
         */
        void receive(long seq, long millis, byte[] utf8);

        /**
         * The stream's history was lost (or this node learns the shared epoch for the first time):
         * seqs start afresh under {@code epoch}, and what the node retains of the old epoch is void.
         */
        void reset(String epoch);
    }

    /** A node's claim to run one source. Thread safe. */
    interface SourceLease {
        /**
         * True if this node holds the lease now and should poll. Calling it also says that this node
         * wants the lease: a node that stops asking (say it has no subscribers and the stream polls
         * only while subscribed) lets it go, so that a node which does want it can take it.
         */
        boolean tryHold();

        /** Gives the lease up at once (the hub is closing). Idempotent. */
        void release();
    }
}
