package io.blockbuster.websocket.internal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;

/**
 * TLS over a socket through an {@link SSLEngine}. Network buffers are borrowed from the loop's pool
 * only while they hold bytes (a partial inbound record, outbound bytes the socket did not take),
 * so an idle TLS connection holds none. Delegated tasks (the handshake's expensive part) run on
 * {@link TlsTasks} when given, else inline; while they run the transport neither reads nor
 * unwraps ({@link #wantsRead()} is false), and {@code resume} continues on the loop when they are done.
 */
final class TlsTransport implements Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final BufferPool pool;
    private final TlsTasks tasks;
    private final Executor loop;
    private Runnable resume = () -> { };
    /** Delegated tasks are running on {@link #tasks}: the engine is not ours until they are done. */
    private boolean tasksRunning;
    /** Inbound network bytes, write mode (data in [0, position)); null when empty. */
    private ByteBuffer netIn;
    /** Outbound network bytes, write mode; null when empty. */
    private ByteBuffer netOut;
    private boolean ready;
    private boolean inputClosed;
    private boolean moreInput;

    /** With {@code tasks} null, delegated tasks run inline on the loop thread. */
    TlsTransport(SocketChannel channel, SSLEngine engine, BufferPool pool, TlsTasks tasks, Executor loop)
            throws SSLException {
        this.channel = channel;
        this.engine = engine;
        this.pool = pool;
        this.tasks = tasks;
        this.loop = loop;
        if (engine.getSession().getPacketBufferSize() > pool.bufferBytes()
                || engine.getSession().getApplicationBufferSize() > pool.bufferBytes()) {
            throw new SSLException("TLS record size exceeds the pool buffer size");
        }
        engine.beginHandshake();
    }

    /** What to run on the loop once delegated tasks finished off it. */
    void resumeWith(Runnable r) {
        this.resume = r;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public boolean wantsRead() {
        return !tasksRunning;
    }

    @Override
    public boolean progress() throws IOException {
        if (!flushNet() || tasksRunning) {
            return ready;
        }
        while (!ready) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK:
                    runTasks();
                    if (tasksRunning) {
                        return false;
                    }
                    break;
                case NEED_WRAP:
                    wrapHandshake();
                    if (!flushNet()) {
                        return false;
                    }
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    return false;
                default:
                    ready = true;
                    break;
            }
        }
        return true;
    }

    private void runTasks() {
        if (tasks != null) {
            tasksRunning = true;
            tasks.run(engine, loop, () -> {
                tasksRunning = false;
                resume.run();
            });
            return;
        }
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void wrapHandshake() throws IOException {
        ByteBuffer out = netOut();
        SSLEngineResult r = engine.wrap(EMPTY, out);
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("TLS closed during handshake");
        }
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            ready = true;
        }
    }

    private ByteBuffer netOut() {
        if (netOut == null) {
            netOut = pool.acquire();
        }
        return netOut;
    }

    /** Writes pending network bytes; true when none are left. */
    private boolean flushNet() throws IOException {
        if (netOut == null) {
            return true;
        }
        netOut.flip();
        channel.write(netOut);
        if (netOut.hasRemaining()) {
            netOut.compact();
            return false;
        }
        pool.release(netOut);
        netOut = null;
        return true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        moreInput = false;
        if (tasksRunning) {
            return 0; // not reading meanwhile; resume reads what arrived
        }
        int start = dst.position();
        if (netIn == null) {
            netIn = pool.acquire();
        }
        int n = inputClosed ? -1 : channel.read(netIn);
        if (n < 0) {
            inputClosed = true;
        }
        netIn.flip();
        try {
            unwrapLoop:
            while (netIn.hasRemaining()) {
                SSLEngineResult r = engine.unwrap(netIn, dst);
                switch (r.getStatus()) {
                    case BUFFER_UNDERFLOW:
                        break unwrapLoop;
                    case BUFFER_OVERFLOW:
                        moreInput = true;
                        break unwrapLoop;
                    case CLOSED:
                        inputClosed = true;
                        break unwrapLoop;
                    default:
                        break;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    ready = true;
                }
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP) {
                    progressAfterUnwrap();
                    if (tasksRunning) {
                        break;
                    }
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break;
                }
            }
        } finally {
            netIn.compact();
            if (netIn.position() == 0) {
                pool.release(netIn);
                netIn = null;
            }
        }
        int produced = dst.position() - start;
        if (produced == 0 && inputClosed) {
            return -1;
        }
        return produced;
    }

    private void progressAfterUnwrap() throws IOException {
        HandshakeStatus hs;
        while ((hs = engine.getHandshakeStatus()) == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP) {
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                if (tasksRunning) {
                    break;
                }
            } else {
                SSLEngineResult r = engine.wrap(EMPTY, netOut());
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    ready = true;
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    break;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && !flushNet()) {
                    break;
                }
            }
        }
        flushNet();
        if (!ready && hs == HandshakeStatus.NOT_HANDSHAKING) {
            ready = true;
        }
    }

    @Override
    public boolean hasBufferedInput() {
        return moreInput;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!flushNet() || !ready) {
            return 0;
        }
        long consumed = 0;
        while (remaining(srcs, offset, length)) {
            SSLEngineResult r = engine.wrap(srcs, offset, length, netOut());
            consumed += r.bytesConsumed();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS connection closed");
            }
            if (!flushNet()) {
                break;
            }
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                // the engine wants something else first (a post-handshake message to read): the
                // next read or writable event resumes, never a spin here
                break;
            }
        }
        return consumed;
    }

    @Override
    public long writeShared(ByteBuffer src) throws IOException {
        return write(new ByteBuffer[] {src.duplicate()}, 0, 1); // the record is encrypted anyway: a view costs little beside it
    }

    private static boolean remaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean wantsWrite() {
        return netOut != null && netOut.position() > 0;
    }

    @Override
    public void close() {
        try {
            engine.closeOutbound();
            if (netOut == null || netOut.position() == 0) {
                engine.wrap(EMPTY, netOut());
                flushNet();
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: the socket closes anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (netIn != null) {
            pool.release(netIn);
            netIn = null;
        }
        if (netOut != null) {
            pool.release(netOut);
            netOut = null;
        }
    }
}
