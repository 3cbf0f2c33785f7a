package io.blockbuster.websocket.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The socket side of a {@link LoopConnection}: its selection key and interest ops, readiness events,
 * reads into buffers borrowed from the loop's pool (so a connection at rest holds none), and
 * writing the {@link Outbox} through the {@link Transport}, optionally closing once it is written.
 * It is also the connection's flush task. What the bytes mean is the connection's business.
 *
 * <p>Threading: loop thread only, except {@link #scheduleFlush()}, {@link #flushesAfterRead()},
 * {@link #canWriteNow()} and {@link #isFlushScheduled()}.
 */
final class ConnectionIo implements IoHandler, Runnable {
    // A volatile field behind a VarHandle, and this object as the flush task: two objects fewer in
    // every idle connection than an AtomicBoolean and a lambda.
    private static final VarHandle FLUSH_SCHEDULED;

    static {
        try {
            FLUSH_SCHEDULED = MethodHandles.lookup().findVarHandle(ConnectionIo.class, "flushScheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoopConnection connection;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final Transport transport;
    private final Outbox outbox;
    private final Deadlines deadlines;
    private volatile boolean flushScheduled;
    private SelectionKey key;
    private int interestOps = -1;
    /** Once the queue is written, close the socket (a rejected handshake, a failure). */
    private boolean endAfterFlush;
    /** Loop thread: inside {@link #readAll()}, which flushes before it returns. */
    private boolean reading;
    /** Loop thread: a group's gather is sending to this connection and flushes it once at its end. */
    private boolean held;
    /**
     * Inside {@link #flush()}: a flush asked for from a callback it triggers (a send's future
     * completing) returns at once; the outer one, or the flush task the send scheduled, writes it.
     */
    private boolean flushing;
    /** Bytes read over the connection's life (JFR's bytes in). */
    private long bytesRead;

    ConnectionIo(LoopConnection connection, EventLoop loop, SocketChannel channel, Transport transport, Outbox outbox,
                 Deadlines deadlines) {
        this.connection = connection;
        this.loop = loop;
        this.channel = channel;
        this.transport = transport;
        this.outbox = outbox;
        this.deadlines = deadlines;
        if (transport instanceof TlsTransport tls) {
            tls.resumeWith(this::tasksDone);
        }
    }

    /** TLS: the handshake's delegated tasks finished off the loop; carry on where they stopped. */
    private void tasksDone() {
        if (isClosed()) {
            return;
        }
        try {
            transport.progress();
            readAll(); // what arrived meanwhile; also flushes and restores the interest ops
            if (!isClosed()) {
                flush();
            }
        } catch (IOException e) {
            connection.ioFailure(e);
        } catch (RuntimeException e) {
            connection.internalFailure(e);
        }
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Server side: the accepted socket starts reading (and TLS its handshake). */
    void accepted() throws IOException {
        key = channel.register(loop.selector(), 0, this);
        transport.progress();
        updateInterest();
    }

    /** Client side: returns true when connected at once, else waits for {@code OP_CONNECT}. */
    boolean connect(InetSocketAddress address) throws IOException {
        key = channel.register(loop.selector(), 0, this);
        if (channel.connect(address)) {
            return true;
        }
        key.interestOps(SelectionKey.OP_CONNECT);
        interestOps = SelectionKey.OP_CONNECT;
        return false;
    }

    /** Client side: connected, the upgrade request queued. */
    void connected() throws IOException {
        transport.progress();
        flush();
        updateInterest();
    }

    /** Writes what is queued, then closes the socket; the caller stopped reading. */
    void endAfterFlush() {
        endAfterFlush = true;
    }

    @Override
    public void onReady(SelectionKey key) {
        int ready = key.readyOps();
        try {
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                if (!channel.finishConnect()) {
                    return;
                }
                connection.onConnected();
                return;
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                readAll();
            }
            if (!isClosed() && (ready & SelectionKey.OP_WRITE) != 0) {
                boolean wasReady = transport.isReady();
                transport.progress();
                flush();
                if (!wasReady) {
                    updateInterest();
                }
            }
        } catch (IOException e) {
            connection.ioFailure(e);
        } catch (RuntimeException e) {
            connection.internalFailure(e);
        }
    }

    @Override
    public void onLoopStopped() {
        connection.loopStopped();
    }

    /**
     * Reads until the socket (and TLS) has nothing more; each read borrows a pool buffer. What the
     * listener sends to this connection meanwhile is written by the one flush at the end.
     */
    private void readAll() throws IOException {
        BufferPool pool = loop.pool();
        reading = true;
        try {
            do {
                boolean wasReady = transport.isReady();
                ByteBuffer buf = pool.acquire();
                int n;
                try {
                    n = transport.read(buf);
                    if (n > 0) {
                        deadlines.read(System.nanoTime());
                        bytesRead += n;
                    }
                    buf.flip();
                    if (buf.hasRemaining()) {
                        connection.process(buf);
                    }
                } finally {
                    pool.release(buf);
                }
                if (isClosed()) {
                    return;
                }
                if (!wasReady && transport.isReady()) {
                    flush();
                }
                if (n < 0) {
                    connection.endOfStream();
                    return;
                }
            } while (transport.hasBufferedInput());
        } finally {
            // Before the flush: a send from a writability callback during it needs a flush of its own.
            reading = false;
        }
        if (!outbox.isEmpty()) {
            flush();
        }
        updateInterest();
    }

    /**
     * True while this connection's input is being read and handed to the listener, on the loop
     * thread: a send to this connection needs no flush task, the read's own flush will write it.
     * Any thread (false unless called on the loop thread during the read).
     */
    boolean flushesAfterRead() {
        return loop.inLoop() && (reading || held);
    }

    /**
     * True when a send may write its frame at once instead of queueing it: on the loop thread,
     * outside a read, a gather and a flush (each of which ends with a write of its own), and with
     * the socket taking bytes. The caller, holding the send lock, also checks that nothing is queued.
     */
    boolean canWriteNow() {
        return loop.inLoop() && !reading && !held && !flushing
                && connection.state() == LoopConnection.State.OPEN && transport.isReady() && !transport.wantsWrite();
    }

    /** Writes a frame shared with other connections, leaving it as it was; returns the bytes the transport took. */
    long writeNow(ByteBuffer frame) throws IOException {
        long taken = transport.writeShared(frame);
        if (transport.wantsWrite()) {
            // TLS may have taken the whole frame and still hold records the socket did not: with
            // nothing queued, no flush would come for them, so the loop waits for OP_WRITE.
            updateInterest();
        }
        return taken;
    }

    /** A gather starts sending to this connection: its sends schedule no flush until {@link #release()}. */
    void hold() {
        held = true;
    }

    /** The gather is done: writes what it queued, in one gathering write when the socket takes it. */
    void release() {
        held = false;
        flush();
    }

    /**
     * Has the loop flush soon; many sends before it runs cost one task. A send from the listener
     * while its own connection's input is being read costs none: that read ends with a flush.
     * Any thread.
     */
    void scheduleFlush() {
        if (flushesAfterRead()) {
            return;
        }
        if (FLUSH_SCHEDULED.compareAndSet(this, false, true)) {
            loop.execute(this);
        }
    }

    /** The flush task {@link #scheduleFlush()} hands the loop. Loop thread. */
    @Override
    public void run() {
        flushScheduled = false;
        flush();
    }

    /** True while a flush task is queued and has not started. Any thread. */
    boolean isFlushScheduled() {
        return flushScheduled;
    }

    /** Writes queued units until the queue is empty or the socket is full. */
    void flush() {
        if (flushing || isClosed() || connection.state() == LoopConnection.State.CONNECTING) {
            return;
        }
        flushing = true;
        try {
            writeQueue();
        } finally {
            flushing = false;
        }
    }

    private void writeQueue() {
        try {
            if (!transport.isReady() && !transport.progress()) {
                updateInterest();
                return;
            }
            long before = outbox.bytes();
            boolean closeWritten = outbox.writeTo(transport);
            if (!outbox.isWritable() && outbox.bytes() < before) {
                // Not reading, so the peer's pongs wait unread: its reading our bytes shows it is alive.
                deadlines.read(System.nanoTime());
            }
            if (closeWritten) {
                connection.closeWritten();
                if (isClosed()) {
                    return;
                }
            }
            if (endAfterFlush && outbox.isEmpty() && !transport.wantsWrite()) {
                connection.flushedToEnd();
                return;
            }
        } catch (IOException e) {
            connection.ioFailure(e);
            return;
        }
        updateInterest();
        outbox.reportWritability();
    }

    void updateInterest() {
        if (isClosed() || connection.state() == LoopConnection.State.CONNECTING || key == null || !key.isValid()) {
            return;
        }
        // Read backpressure: while the outbound side is over its high watermark nothing is read
        // (pings included), so TCP pushes back on a peer that sends and does not read.
        int ops = transport.wantsRead() && outbox.isWritable() ? SelectionKey.OP_READ : 0;
        if (transport.wantsWrite()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    /** The connection ended: the socket closes, the key goes. */
    void close() {
        transport.close();
        if (key != null) {
            key.cancel();
        }
    }

    private boolean isClosed() {
        return connection.state() == LoopConnection.State.CLOSED;
    }

    long bytesRead() {
        return bytesRead;
    }
}
