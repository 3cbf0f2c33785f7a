package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.ProtocolSession;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A connection's sending side: frames go into the {@link SendQueue} whole, under the send lock and
 * only while the {@link ProtocolSession} allows; the frames the session owes the peer (pongs, close
 * frames) come in through {@link #queue}. The queue is held to {@code maxBufferedBytes} (past it
 * the peer is too slow) and its watermarks drive {@code isWritable()} and the listener's
 * writability callbacks. {@link ConnectionIo} does the writing and owns the flush task.
 *
 * <p>Threading: the send methods run on the caller's thread, encode there and hand whole frames over
 * under this object's monitor, the connection's send lock (which also guards the session's closing
 * handshake); writability reports and slow-peer handling run on the loop thread, never with the lock
 * held.
 */
final class Outbox implements ProtocolSession.Output {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final LoopConnection connection;
    private final EventLoop loop;
    private final WebSocketLimits limits;
    private final MessageFramer framer;
    private final ListenerCalls calls;
    private final SendQueue queue = new SendQueue(this);
    /** Set once, before any send, by the {@link ConnectionIo} that writes this outbox. */
    private ConnectionIo io;
    private ProtocolSession session;
    /** Under the lock, during {@link #sendClose}: the host's future for the close frame the session queues. */
    private CompletableFuture<Void> hostClose;

    /** Written under the lock, read by any thread. */
    private volatile boolean writable = true;
    /** Under the lock: {@code writable} went false; the listener hears it even if the queue drained since. */
    private boolean becameUnwritable;
    /** Loop thread: what the listener was last told. */
    private boolean reportedWritable = true;
    /** Loop thread: run once when the connection is next writable (a group's waiting message). */
    private Runnable onWritable;

    Outbox(LoopConnection connection, EventLoop loop, WebSocketLimits limits, MessageFramer framer,
           ListenerCalls calls) {
        this.connection = connection;
        this.loop = loop;
        this.limits = limits;
        this.framer = framer;
        this.calls = calls;
    }

    /** The parts this outbox works with, created after it: both before any send. */
    void attach(ConnectionIo io, ProtocolSession session) {
        this.io = io;
        this.session = session;
    }

    // ---- the host's sends (any thread) ----

    /** A text or binary message ({@code prepared} null) or a prepared one. */
    CompletableFuture<Void> sendData(Opcode opcode, ByteBuffer payload, PreparedMessage prepared) {
        CompletableFuture<Void> f = send(opcode, payload, prepared, true);
        return f != null ? f : closedFuture();
    }

    /**
     * A prepared message nobody waits for (a group's broadcast): no future. Returns false when the
     * connection is closing or closed.
     */
    boolean sendUnwatched(PreparedMessage prepared) {
        return send(PreparedAccess.get().opcode(prepared), null, prepared, false) != null;
    }

    /**
     * Writes the message at once when nothing is queued ahead of it and it is sent on the loop, from
     * outside a read or a flush (a broadcast's delivery): no queue unit, no future, no frame view for
     * it. Otherwise queues it. Returns null when the connection is closing or closed,
     * {@link Written#INSTANCE} when the message was written at once, else the queued unit's future
     * ({@link Written#INSTANCE} as well when nobody watches it).
     */
    private CompletableFuture<Void> send(Opcode opcode, ByteBuffer payload, PreparedMessage prepared, boolean watched) {
        CompletableFuture<Void> f;
        synchronized (this) {
            if (!canSend()) {
                return null;
            }
            ByteBuffer[] frame;
            ByteBuffer shared = prepared == null ? null : framer.shared(prepared);
            if (shared != null) {
                long written = queue.isEmpty() && io.canWriteNow() ? writeNow(shared) : 0;
                if (written == shared.remaining()) {
                    return Written.INSTANCE;
                }
                frame = new ByteBuffer[] {shared.duplicate().position(shared.position() + (int) written)};
            } else {
                frame = prepared == null ? framer.data(opcode, payload) : framer.prepared(prepared);
            }
            f = watched ? new CompletableFuture<>() : Written.INSTANCE;
            if (!offer(frame, watched ? f : null, false, true)) {
                return f; // refused as too slow: a watched f failed, the slow-peer close is under way
            }
        }
        io.scheduleFlush();
        return f;
    }

    /**
     * The socket's answer to a frame written at once; a failed write counts as nothing written, so
     * the frame is queued and the flush meets the failure and ends the connection (outside this lock).
     */
    private long writeNow(ByteBuffer shared) {
        try {
            long written = io.writeNow(shared);
            queue.wrotePast(written);
            return written;
        } catch (IOException e) {
            return 0;
        }
    }

    CompletableFuture<Void> sendControl(Opcode opcode, ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("control frame payload " + payload.remaining() + " > 125");
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (this) {
            if (!canSend()) {
                return closedFuture();
            }
            offer(framer.control(opcode, payload.duplicate()), f, false, false);
        }
        io.scheduleFlush();
        return f;
    }

    /**
     * The host closes: the session queues our close frame, or this returns null when one was
     * already queued or sent. The caller arms the close timer, then schedules the flush.
     */
    CompletableFuture<Void> sendClose(int code, String reason) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (this) {
            if (!connection.isOpenState()) {
                return null;
            }
            hostClose = f;
            try {
                if (!session.close(code, reason)) {
                    return null;
                }
            } finally {
                hostClose = null;
            }
        }
        return f;
    }

    private boolean canSend() {
        return connection.isOpenState() && session.canSend();
    }

    private static CompletableFuture<Void> closedFuture() {
        return CompletableFuture.failedFuture(new IllegalStateException("connection is closing or closed"));
    }

    // ---- what the connection itself sends (loop thread) ----

    /** Before open: a handshake request or response, as is. */
    void queueRaw(ByteBuffer bytes) {
        synchronized (this) {
            offer(new ByteBuffer[] {bytes}, null, false, false);
        }
    }

    /** The keep-alive ping (empty), unless our close frame is queued. */
    void queuePing() {
        synchronized (this) {
            if (session.canSend()) {
                offer(framer.control(Opcode.PING, EMPTY.duplicate()), null, false, false);
            }
        }
        io.scheduleFlush();
    }

    /**
     * A frame the session owes the peer; the session calls this with the lock held. A pong counts
     * against maxBufferedBytes like data: a peer that floods pings and never reads the pongs is a
     * slow peer, not a reason to queue pongs without bound. A close frame carries the host's future
     * when the host is closing.
     */
    @Override
    public void queue(Opcode opcode, ByteBuffer payload) {
        boolean isClose = opcode == Opcode.CLOSE;
        offer(framer.control(opcode, payload), isClose ? hostClose : null, isClose, opcode == Opcode.PONG);
    }

    /**
     * Queues one unit. A {@code limited} unit (data, pongs) beyond the hard limit is refused, fails
     * {@code f} (if any) and starts the slow-peer close. Caller holds the lock.
     */
    private boolean offer(ByteBuffer[] bufs, CompletableFuture<Void> f, boolean isClose, boolean limited) {
        long len = MessageFramer.remaining(bufs);
        long queued = queue.bytes();
        // A peer whose backlog is below the low watermark keeps up, so even one message larger than
        // the limit may go to it: the limit is about output piling up, not about message size.
        if (limited && queued > limits.writeLowWatermark() && queued + len > limits.maxBufferedBytes()) {
            if (f != null) { // a pong has no future
                f.completeExceptionally(new IOException("peer too slow: outbound buffer over "
                        + limits.maxBufferedBytes() + " bytes"));
            }
            loop.execute(this::slowPeer);
            return false;
        }
        long after = queue.add(new Outbound(bufs, len, f, isClose));
        if (writable && after > limits.writeHighWatermark()) {
            writable = false;
            becameUnwritable = true;
            loop.execute(this::reportWritability);
        }
        return true;
    }

    // ---- the loop's side ----

    /** See {@link SendQueue#writeTo}. Loop thread. */
    boolean writeTo(Transport transport) throws IOException {
        return queue.writeTo(transport, loop.gather);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Bytes written to the transport so far. Loop thread. */
    long bytesWritten() {
        return queue.writtenTotal();
    }

    /** Bytes queued and not yet written. Any thread. */
    long bytes() {
        return queue.bytes();
    }

    /** False from above the high watermark until drained to the low one. Any thread. */
    boolean isWritable() {
        return writable;
    }

    /**
     * The peer stopped reading and the queue passed the hard limit: drop what has not started and
     * the connection with it, at once (a close frame would only queue behind what the peer does not
     * read). Loop thread.
     */
    void slowPeer() {
        if (!connection.isOpenState()) {
            return;
        }
        List<Outbound> dropped;
        synchronized (this) {
            if (session.isFailed()) {
                return;
            }
            dropped = queue.dropUnstarted();
        }
        Outbound.failAll(dropped, new IOException("peer too slow; connection closing"));
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, connection + ": peer too slow, closing");
        }
        connection.slowPeerClosing();
        connection.dropSlowPeer(limits.slowPeerCloseCode(), "peer too slow to read");
    }

    /** The connection ended: every unit, for the caller to fail. Caller holds the lock. */
    List<Outbound> drainAll() {
        return queue.drainAll();
    }

    /** Tells the listener of watermark crossings. Loop thread. */
    void reportWritability() {
        if (!connection.isOpenState()) {
            return;
        }
        boolean w;
        boolean fell;
        synchronized (this) {
            fell = becameUnwritable;
            becameUnwritable = false;
            if (!writable && queue.bytes() <= limits.writeLowWatermark()) {
                writable = true;
            }
            w = writable;
        }
        // Report every transition a sender may have observed through isWritable(), in order.
        if (fell && reportedWritable) {
            notifyWritability(false);
        }
        if (w != reportedWritable && connection.isOpenState()) {
            notifyWritability(w);
        }
        io.updateInterest(); // reading pauses above the high watermark, resumes below the low one
    }

    private void notifyWritability(boolean w) {
        reportedWritable = w;
        calls.writabilityChanged(w);
        if (w && onWritable != null) {
            Runnable r = onWritable;
            onWritable = null;
            r.run();
        }
    }

    /**
     * Runs {@code task} once, on the loop thread, when the connection is next reported writable;
     * never if it closes first. Loop thread.
     */
    void whenWritable(Runnable task) {
        Runnable before = onWritable;
        onWritable = before == null ? task : () -> {
            before.run();
            task.run();
        };
    }
}
