package io.blockbuster.websocket.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One queued unit of output: a whole frame (or a handshake response) as one or two buffers, and
 * the future to complete when its last byte is written. Never split or merged with another unit,
 * so messages are never interleaved.
 */
final class Outbound {
    final ByteBuffer[] buffers;
    final long length;
    /** Null for output nobody waits for (auto pong, handshake response). */
    final CompletableFuture<Void> future;
    /** A close frame: after it, nothing more is written. */
    final boolean close;
    /** Set by the loop once part of it went to a write; unstarted units can still be dropped. */
    boolean started;
    /** The unit after this one in its {@link SendQueue} list. */
    Outbound next;

    Outbound(ByteBuffer[] buffers, long length, CompletableFuture<Void> future, boolean close) {
        this.buffers = buffers;
        this.length = length;
        this.future = future;
        this.close = close;
    }

    boolean isDone() {
        for (ByteBuffer b : buffers) {
            if (b.hasRemaining()) {
                return false;
            }
        }
        return true;
    }

    /** Fails the future of every unit that has one (units that were dropped or never written). */
    static void failAll(List<Outbound> units, Throwable cause) {
        for (Outbound o : units) {
            if (o.future != null) {
                o.future.completeExceptionally(cause);
            }
        }
    }
}
