package io.blockbuster.stream.internal;

import io.blockbuster.stream.EngineStatus;
import io.blockbuster.stream.StreamEngine;
import io.blockbuster.stream.StreamOptions;
import java.time.Duration;

/**
 * The single-node {@link StreamEngine}: seqs counted per stream in this process and delivered on the
 * publishing thread; every lease is held. This is the hub's behaviour without a cluster.
 */
public final class InMemoryEngine implements StreamEngine {
    private static final EngineStatus HEALTHY = new EngineStatus("in-memory", true, null);
    private static final SourceLease ALWAYS_HELD = new SourceLease() {
        @Override
        public boolean tryHold() {
            return true;
        }

        @Override
        public void release() {
        }
    };

    /** A new engine for one hub. */
    public InMemoryEngine() {
    }

    @Override
    public Stream join(String name, StreamOptions options, Receiver receiver) {
        return new LocalStream(receiver, options.dedupCapacity());
    }

    @Override
    public SourceLease lease(String name, Duration pollInterval) {
        return ALWAYS_HELD;
    }

    @Override
    public EngineStatus status() {
        return HEALTHY;
    }

    @Override
    public void close() {
    }

    /**
     * The seq is assigned and the message received under one lock, so seq order is delivery order.
     * Equal values are dropped by the channel before they get here (it keeps the newest one).
     */
    private static final class LocalStream implements Stream {
        private final Receiver receiver;
        private final int dedupCapacity;
        // Guarded by this.
        private long seq;
        private RecentKeys keys; // only for incremental sources

        LocalStream(Receiver receiver, int dedupCapacity) {
            this.receiver = receiver;
            this.dedupCapacity = dedupCapacity;
        }

        @Override
        public synchronized boolean publish(byte[] utf8, long millis, String dedupKey, boolean skipEqual) {
            if (dedupKey != null) {
                if (keys == null) {
                    keys = new RecentKeys(dedupCapacity);
                }
                if (!keys.add(dedupKey)) {
                    return true; // published before: dropped, as promised
                }
            }
            receiver.receive(++seq, millis, utf8);
            return true;
        }

        @Override
        public void leave() {
        }
    }
}
