package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.Role;
import io.blockbuster.websocket.protocol.WebSocketProtocolException;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket connection on an event loop, server or client side: its life from connect or
 * accept through the {@link OpeningHandshake} to the end, the socket's readiness events, reads and
 * writes, failures, and acting on the close handshake and the {@link Deadlines}. The host holds its
 * {@link ConnectionHandle}; {@link Inbound} decodes to the listener; {@link Outbox} queues.
 *
 * <p>Threading: everything here runs on the loop thread; the handle's sends run on the caller's
 * thread and hand whole frames over through the {@link Outbox}. The close handshake, the queue and
 * the writability flag are guarded by {@code sendLock}, which is never held while calling out to
 * the listener.
 */
final class Connection extends Timed implements IoHandler {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");

    enum State { CONNECTING, HANDSHAKE, OPEN, CLOSED }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final Transport transport;
    private final Role role;
    private final WebSocketLimits limits;
    private final ServerRuntime server;
    private final ClientRuntime clientRuntime;
    /** The connect attempt until the handshake ends (then dropped, it is not needed at rest). */
    private ClientRuntime.Attempt attempt;
    private final InetSocketAddress remote;
    private SelectionKey key;
    private int interestOps = -1;
    private volatile State state;
    /** Until the handshake is decided. */
    private OpeningHandshake opening;

    private final Object sendLock = new Object();
    private final CloseHandshake close = new CloseHandshake();
    private final ListenerCalls calls = new ListenerCalls(this);
    private final MessageFramer framer;
    private final Outbox outbox;
    private final Inbound inbound;
    private final Deadlines deadlines;
    private final ConnectionHandle handle;
    /** Once the queue is written, close the socket (a rejected handshake, a failure). */
    private boolean terminateAfterFlush;

    Connection(EventLoop loop, SocketChannel channel, Transport transport, Role role, WebSocketLimits limits,
               FrameEncoder encoder, ServerRuntime server, ClientRuntime.Attempt attempt, InetSocketAddress remote) {
        this.loop = loop;
        this.channel = channel;
        this.transport = transport;
        this.role = role;
        this.limits = limits;
        this.server = server;
        this.attempt = attempt;
        this.clientRuntime = attempt == null ? null : attempt.runtime;
        this.remote = remote;
        this.framer = new MessageFramer(role, encoder);
        this.outbox = new Outbox(sendLock, this, loop, limits, framer, close, calls);
        this.inbound = new Inbound(this, calls, outbox);
        this.deadlines = new Deadlines(limits);
        this.handle = new ConnectionHandle(this, outbox, close, sendLock, role, remote);
    }

    EventLoop loopOf() {
        return loop;
    }

    /** True in {@link State#OPEN}, closing or not. Any thread. */
    boolean isOpenState() {
        return state == State.OPEN;
    }

    // ---- start (loop thread) ----

    /** Server side: the socket was accepted; wait for the upgrade request. */
    void startServer() throws IOException {
        state = State.HANDSHAKE;
        handle.local((InetSocketAddress) channel.getLocalAddress());
        opening = OpeningHandshake.server(server.settings(), remote, limits.maxHandshakeHeaderBytes());
        deadlines.handshakeWithin(limits.handshakeTimeout().toNanos());
        key = channel.register(loop.selector(), 0, this);
        transport.progress();
        updateInterest();
        rescheduleTimer();
    }

    /** Client side: start connecting. */
    void startClient(InetSocketAddress address, long connectTimeoutNanos) throws IOException {
        state = State.CONNECTING;
        deadlines.handshakeWithin(connectTimeoutNanos);
        key = channel.register(loop.selector(), 0, this);
        if (channel.connect(address)) {
            onConnected();
        } else {
            key.interestOps(SelectionKey.OP_CONNECT);
            interestOps = SelectionKey.OP_CONNECT;
        }
        rescheduleTimer();
    }

    private void onConnected() throws IOException {
        state = State.HANDSHAKE;
        handle.local((InetSocketAddress) channel.getLocalAddress());
        deadlines.handshakeWithin(limits.handshakeTimeout().toNanos());
        opening = OpeningHandshake.client(attempt, remote, limits.maxHandshakeHeaderBytes());
        ByteBuffer req = attempt.handshake.request();
        byte[] head = new byte[req.remaining()];
        req.duplicate().get(head);
        handle.requestHead(head);
        outbox.queueRaw(req.duplicate());
        transport.progress();
        flush();
        updateInterest();
        rescheduleTimer();
    }

    // ---- I/O events (loop thread) ----

    @Override
    public void onReady(SelectionKey key) {
        int ready = key.readyOps();
        try {
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                if (!channel.finishConnect()) {
                    return;
                }
                onConnected();
                return;
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                handleRead();
            }
            if (state != State.CLOSED && (ready & SelectionKey.OP_WRITE) != 0) {
                boolean wasReady = transport.isReady();
                transport.progress();
                flush();
                if (!wasReady) {
                    updateInterest();
                }
            }
        } catch (IOException e) {
            ioFailure(e);
        } catch (RuntimeException e) {
            internalFailure(e);
        }
    }

    @Override
    public void onLoopStopped() {
        terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "stopped"), false);
    }

    /** Reads until the socket (and TLS) has nothing more; each read borrows a pool buffer. */
    private void handleRead() throws IOException {
        BufferPool pool = loop.pool();
        do {
            boolean wasReady = transport.isReady();
            ByteBuffer buf = pool.acquire();
            int n;
            try {
                inbound.restoreCarry(buf);
                n = transport.read(buf);
                if (n > 0) {
                    deadlines.read(System.nanoTime());
                }
                buf.flip();
                if (buf.hasRemaining()) {
                    process(buf);
                }
                if (state != State.CLOSED && !inbound.isClosed() && buf.hasRemaining()) {
                    inbound.keepCarry(buf);
                }
            } finally {
                pool.release(buf);
            }
            if (state == State.CLOSED) {
                return;
            }
            if (!wasReady && transport.isReady()) {
                flush();
            }
            if (n < 0) {
                onEndOfStream();
                return;
            }
        } while (transport.hasBufferedInput());
        if (!outbox.isEmpty()) {
            flush();
        }
        updateInterest();
    }

    private void process(ByteBuffer buf) {
        if (inbound.isClosed()) {
            buf.position(buf.limit());
            return;
        }
        if (state == State.HANDSHAKE) {
            handshake(buf);
            if (state != State.OPEN || !buf.hasRemaining()) {
                return;
            }
        }
        if (state != State.OPEN) {
            buf.position(buf.limit());
            return;
        }
        inbound.decode(buf);
    }

    private void onEndOfStream() {
        if (state == State.CONNECTING || state == State.HANDSHAKE) {
            failAttempt(new IOException("connection closed during the opening handshake"));
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "connection closed during handshake"), true);
            return;
        }
        terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, ""), true);
    }

    // ---- opening handshake (loop thread) ----

    private void handshake(ByteBuffer buf) {
        ServerUpgrade.Outcome outcome;
        try {
            outcome = opening.read(buf);
        } catch (HandshakeException e) { // client side: not a valid upgrade response
            failAttempt(e);
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "handshake failed"), false);
            return;
        }
        if (outcome == null) {
            return;
        }
        if (opening.requestHead() != null) {
            handle.requestHead(opening.requestHead());
        }
        opening = null;
        if (!outcome.isAccepted()) {
            // Writes the answer and then closes the socket; nothing more is read.
            inbound.close();
            outbox.queueRaw(outcome.response());
            terminateAfterFlush = true;
            flush();
            return;
        }
        if (outcome.response() != null) {
            outbox.queueRaw(outcome.response());
        }
        calls.set(outcome.listener(), handle);
        open(outcome.subprotocol(), outcome.extensions());
    }

    private void open(String subprotocol, List<Extension> negotiated) {
        List<String> names = new ArrayList<>(negotiated.size());
        for (Extension e : negotiated) {
            names.add(e.response().toHeaderValue());
        }
        inbound.open(role, limits, negotiated);
        framer.negotiated(List.copyOf(negotiated));
        handle.negotiated(subprotocol, List.copyOf(names));
        deadlines.opened(System.nanoTime());
        state = State.OPEN;
        rescheduleTimer();
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "connection " + remote + " open" + (subprotocol == null ? "" : " (" + subprotocol + ")"));
        }
        if (attempt != null) {
            ClientRuntime.Attempt done = attempt;
            attempt = null;
            done.future.complete(handle);
        }
        calls.open();
        flush();
    }

    private void failAttempt(Throwable e) {
        if (attempt != null) {
            attempt.future.completeExceptionally(e);
        }
    }

    // ---- failures and the close handshake (loop thread) ----

    private void ioFailure(IOException e) {
        if (state == State.CLOSED) {
            return;
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "connection " + remote + ": " + e);
        }
        if (state == State.OPEN) {
            calls.error(e);
        } else {
            failAttempt(e);
        }
        terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, String.valueOf(e.getMessage())), true);
    }

    private void internalFailure(RuntimeException e) {
        LOG.log(Level.WARNING, "connection " + remote + " failed", e);
        if (state == State.OPEN) {
            calls.error(e);
            failConnection(CloseStatus.INTERNAL_ERROR, "internal error", false);
        } else {
            failAttempt(e);
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "internal error"), false);
        }
    }

    /** The peer broke the protocol: close with its code at once. Called by {@link Inbound}. */
    void protocolFailure(WebSocketProtocolException e) {
        inbound.close();
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "connection " + remote + ": peer broke the protocol: " + e.closeCode() + " " + e.getMessage());
        }
        calls.error(e);
        failConnection(e.closeCode(), e.getMessage(), false);
    }

    /** A listener callback threw: 1011, and the peer may still answer. Called by {@link ListenerCalls}. */
    void listenerFailed(Throwable t) {
        LOG.log(Level.WARNING, "WebSocket listener failed on connection " + remote, t);
        calls.error(t);
        failConnection(CloseStatus.INTERNAL_ERROR, "internal error", true);
    }

    /**
     * Sends close {@code code} (unless a close was already sent), reports that code to the
     * listener, and closes the socket once the frame is out ({@code waitForPeer == false}) or when
     * the peer answers (else the close timeout ends it).
     */
    void failConnection(int code, String reason, boolean waitForPeer) {
        if (state != State.OPEN) {
            return;
        }
        outbox.queueFailure(code, reason == null ? "" : reason);
        if (!waitForPeer) {
            inbound.close();
            terminateAfterFlush = true;
        }
        armCloseTimer();
        outbox.scheduleFlush();
    }

    /** The peer's close frame arrived (input is closed now). Called by {@link Inbound}. */
    void peerClosed(int code, String reason) {
        Outbox.PeerClose answer = outbox.answerClose(code, reason);
        armCloseTimer();
        if (answer == Outbox.PeerClose.ECHOED) {
            outbox.scheduleFlush();
        } else if (answer == Outbox.PeerClose.COMPLETE && close.isWritten()) {
            finishClosed();
        }
    }

    private void armCloseTimer() {
        if (deadlines.armClose()) {
            rescheduleTimer();
        }
    }

    /** Our close frame (first or echo) is on the wire. */
    private void afterCloseWritten() {
        close.markWritten();
        boolean complete;
        synchronized (sendLock) {
            complete = close.isComplete();
        }
        if (complete) {
            finishClosed();
        }
    }

    /** Both close frames have passed. RFC 6455 7.1.1: the server closes TCP first; a client waits for it. */
    private void finishClosed() {
        if (role == Role.SERVER) {
            terminate(null, false);
        } else {
            armCloseTimer();
        }
    }

    // ---- timers (loop thread) ----

    private void rescheduleTimer() {
        if (state == State.CLOSED) {
            return;
        }
        loop.timers().schedule(this, deadlines.next(state, close.isClosing()));
    }

    @Override
    void onTimer(long now) {
        switch (deadlines.due(now, state, close.isClosing())) {
            case CONNECT_TIMEOUT:
            case HANDSHAKE_TIMEOUT: {
                String what = state == State.CONNECTING ? "connect timed out" : "opening handshake timed out";
                if (LOG.isLoggable(Level.DEBUG)) {
                    LOG.log(Level.DEBUG, "connection " + remote + ": " + what);
                }
                failAttempt(new SocketTimeoutException(what));
                terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, what), false);
                return;
            }
            case CLOSE_TIMEOUT:
                terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "close handshake timed out"), false);
                return;
            case NO_PONG:
                if (LOG.isLoggable(Level.DEBUG)) {
                    LOG.log(Level.DEBUG, "connection " + remote + ": no pong, dropping");
                }
                terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "no pong within the pong timeout"), false);
                return;
            case IDLE:
                handle.close(CloseStatus.GOING_AWAY, "idle timeout");
                break;
            case PING:
                outbox.queuePing();
                break;
            default:
                break;
        }
        rescheduleTimer();
    }

    // ---- output (loop thread, unless said otherwise) ----

    /** The host queued our close frame: start the close timeout. Any thread. */
    void closeSent() {
        if (loop.inLoop()) {
            armCloseTimer();
        } else {
            loop.execute(this::armCloseTimer);
        }
    }

    /** Drops the connection without a close handshake (reported as 1006). Any thread. */
    void abort() {
        if (loop.inLoop()) {
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "aborted"), false);
        } else {
            loop.execute(() -> terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "aborted"), false));
        }
    }

    /** Server shutdown: close 1001 if open, drop if still handshaking. Loop thread. */
    void goAway() {
        if (state == State.OPEN) {
            handle.close(CloseStatus.GOING_AWAY, "server shutting down");
        } else if (state != State.CLOSED) {
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "server shutting down"), false);
        }
    }

    /** Writes queued units until the queue is empty or the socket is full. Loop thread. */
    void flush() {
        if (state == State.CLOSED || state == State.CONNECTING) {
            return;
        }
        try {
            if (!transport.isReady() && !transport.progress()) {
                updateInterest();
                return;
            }
            if (outbox.writeTo(transport)) {
                afterCloseWritten();
                if (state == State.CLOSED) {
                    return;
                }
            }
            if (terminateAfterFlush && outbox.isEmpty() && !transport.wantsWrite()) {
                terminate(null, false);
                return;
            }
        } catch (IOException e) {
            ioFailure(e);
            return;
        }
        updateInterest();
        outbox.reportWritability();
    }

    private void updateInterest() {
        if (state == State.CLOSED || state == State.CONNECTING || key == null || !key.isValid()) {
            return;
        }
        int ops = SelectionKey.OP_READ;
        if (transport.wantsWrite()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    // ---- the end (loop thread) ----

    /**
     * Closes the socket and reports. The status reported is the close handshake's when it finished
     * or when a failure forced one, else {@code fallback}.
     */
    private void terminate(CloseStatus fallback, boolean fallbackByPeer) {
        if (state == State.CLOSED) {
            return;
        }
        State was = state;
        state = State.CLOSED;
        // A listener may abort from inside a callback while the decoder still holds frames: ignore them.
        inbound.close();
        loop.timers().remove(this);
        List<Outbound> unsent;
        CloseHandshake.Report report;
        synchronized (sendLock) {
            // Under the lock: a sender that saw OPEN has queued its frame by now, and none can after.
            unsent = outbox.drainAll();
            // Also under the lock: a sender may be encoding with an extension right now.
            framer.closeExtensions();
            report = close.end(fallback, fallbackByPeer);
        }
        CloseStatus status = report.status();
        transport.close();
        if (key != null) {
            key.cancel();
        }
        Outbound.failAll(unsent, new ClosedChannelException());
        if (server != null) {
            server.removed(this);
        } else if (clientRuntime != null) {
            clientRuntime.removed(this);
            if (attempt != null) {
                attempt.future.completeExceptionally(new IOException("connection closed: " + status.reason()));
            }
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "connection " + remote + " closed: " + status.code() + " " + status.reason()
                    + (report.byPeer() ? " (by peer)" : ""));
        }
        if (was == State.OPEN) {
            calls.closed(status, report.byPeer());
        }
    }

    @Override
    public String toString() {
        return "WebSocket[" + role + " " + remote + " " + state + "]";
    }
}
