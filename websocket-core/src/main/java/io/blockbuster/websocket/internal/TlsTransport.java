package io.blockbuster.websocket.internal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * TLS over a socket through an {@link SSLEngine}. Network buffers are borrowed from the loop's pool
 * only while they hold bytes (a partial inbound record, outbound bytes the socket did not take),
 * so an idle TLS connection holds none. Delegated tasks (certificate checks) run inline on the
 * loop thread; they happen once per handshake.
 */
final class TlsTransport implements Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final BufferPool pool;
    /** Inbound network bytes, write mode (data in [0, position)); null when empty. */
    private ByteBuffer netIn;
    /** Outbound network bytes, write mode; null when empty. */
    private ByteBuffer netOut;
    private boolean ready;
    private boolean inputClosed;
    private boolean moreInput;

    TlsTransport(SocketChannel channel, SSLEngine engine, BufferPool pool) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        this.pool = pool;
        if (engine.getSession().getPacketBufferSize() > pool.bufferBytes()
                || engine.getSession().getApplicationBufferSize() > pool.bufferBytes()) {
            throw new SSLException("TLS record size exceeds the pool buffer size");
        }
        engine.beginHandshake();
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public boolean progress() throws IOException {
        if (!flushNet()) {
            return ready;
        }
        while (!ready) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK:
                    runTasks();
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
