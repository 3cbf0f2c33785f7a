package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.Role;
import io.blockbuster.websocket.protocol.WebSocketProtocolException;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * One WebSocket connection on an event loop, server or client side: its state from connect or
 * accept through the {@link OpeningHandshake} to the end, and the decisions that move it (failures,
 * the close handshake, what the {@link Deadlines} say is due). The parts do the rest:
 * {@link ConnectionIo} the socket, {@link Inbound} decoding to the listener, {@link Outbox} and
 * {@link MessageFramer} sending, {@link CloseHandshake} the close state, {@link ConnectionHandle}
 * what the host holds.
 *
 * <p>Threading: everything here runs on the loop thread; the handle's sends run on the caller's
 * thread and hand whole frames over through the {@link Outbox}. The close handshake, the queue and
 * the writability flag are guarded by {@code sendLock}, which is never held while calling out to
 * the listener.
 */
final class LoopConnection extends Timed {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");

    enum State { CONNECTING, HANDSHAKE, OPEN, CLOSED }

    private final EventLoop loop;
    private final Role role;
    private final WebSocketLimits limits;
    private final ProtocolLimits protocolLimits;
    private final ServerRuntime server;
    private final ClientRuntime clientRuntime;
    /** The connect attempt until the handshake ends (then dropped, it is not needed at rest). */
    private ClientRuntime.Attempt attempt;
    private final InetSocketAddress remote;
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
    private final ConnectionIo io;
    private final ConnectionHandle handle;
    /** When the opening handshake finished (JFR's connection duration). */
    private long openedNanos;

    LoopConnection(EventLoop loop, SocketChannel channel, Transport transport, Role role, WebSocketLimits limits,
               ProtocolLimits protocolLimits, FrameEncoder encoder, ServerRuntime server, ClientRuntime.Attempt attempt, InetSocketAddress remote) {
        this.loop = loop;
        this.role = role;
        this.limits = limits;
        this.protocolLimits = protocolLimits;
        this.server = server;
        this.attempt = attempt;
        this.clientRuntime = attempt == null ? null : attempt.runtime;
        this.remote = remote;
        this.framer = new MessageFramer(role, encoder);
        this.outbox = new Outbox(sendLock, this, loop, limits, framer, close, calls);
        this.inbound = new Inbound(this, calls, outbox);
        this.deadlines = new Deadlines(limits);
        this.io = new ConnectionIo(this, loop, channel, transport, inbound, outbox, deadlines);
        this.handle = new ConnectionHandle(this, outbox, close, sendLock, role, remote);
    }

    EventLoop loopOf() {
        return loop;
    }

    /** The outbox gave up on a peer that reads too slowly. Loop thread. */
    void slowPeerClosing() {
        TransportEvents.slowPeer(remote, limits.maxBufferedBytes(), limits.slowPeerCloseCode());
        if (server != null) {
            server.countSlowPeer();
        }
    }

    State state() {
        return state;
    }

    InetSocketAddress remoteAddress() {
        return remote;
    }

    /** True in {@link State#OPEN}, closing or not. Any thread. */
    boolean isOpenState() {
        return state == State.OPEN;
    }

    // ---- start (loop thread) ----

    /** Server side: the socket was accepted; wait for the upgrade request. */
    void startServer() throws IOException {
        state = State.HANDSHAKE;
        handle.local(io.localAddress());
        opening = OpeningHandshake.server(server.settings(), remote, limits.maxHandshakeHeaderBytes());
        deadlines.handshakeWithin(limits.handshakeTimeout().toNanos());
        io.accepted();
        rescheduleTimer();
    }

    /** Client side: start connecting. */
    void startClient(InetSocketAddress address, long connectTimeoutNanos) throws IOException {
        state = State.CONNECTING;
        deadlines.handshakeWithin(connectTimeoutNanos);
        if (io.connect(address)) {
            onConnected();
        }
        rescheduleTimer();
    }

    /** Client side: the socket connected; send the upgrade request. */
    void onConnected() throws IOException {
        state = State.HANDSHAKE;
        handle.local(io.localAddress());
        deadlines.handshakeWithin(limits.handshakeTimeout().toNanos());
        opening = OpeningHandshake.client(attempt, remote, limits.maxHandshakeHeaderBytes());
        outbox.queueRaw(opening.request());
        io.connected();
        rescheduleTimer();
    }

    // ---- input (loop thread, called by ConnectionIo) ----

    void loopStopped() {
        terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "stopped"), false);
    }

    /** Bytes read: the handshake's until it is decided, then frames. */
    void process(ByteBuffer buf) {
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

    void endOfStream() {
        if (state == State.CONNECTING || state == State.HANDSHAKE) {
            failAttempt(new IOException("connection closed during the opening handshake"));
            terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "connection closed during handshake"), true);
            return;
        }
        terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, ""), true);
    }

    // ---- opening handshake (loop thread) ----

    private void handshake(ByteBuffer buf) {
        ServerUpgrade.Outcome outcome;
        try {
            outcome = opening.read(buf);
        } catch (HandshakeException e) { // client side: not a valid upgrade response
            failAttempt(e);
            terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "handshake failed"), false);
            return;
        }
        if (outcome == null) {
            return;
        }
        handle.requestHead(opening.requestHead());
        opening = null;
        if (server != null) {
            server.countRejected(outcome.rejection()); // 0, not counted, unless an upgrade was refused
        }
        if (!outcome.isAccepted()) {
            // Writes the answer and then closes the socket; nothing more is read.
            inbound.close();
            outbox.queueRaw(outcome.response());
            io.endAfterFlush();
            io.flush();
            return;
        }
        if (outcome.response() != null) {
            outbox.queueRaw(outcome.response());
        }
        calls.set(outcome.listener(), handle);
        open(outcome.subprotocol(), outcome.extensions());
    }

    private void open(String subprotocol, List<Extension> negotiated) {
        inbound.open(role, protocolLimits, negotiated);
        framer.negotiated(List.copyOf(negotiated));
        handle.negotiated(subprotocol, negotiated);
        openedNanos = System.nanoTime();
        deadlines.opened(openedNanos);
        state = State.OPEN;
        TransportEvents.opened(remote, handle, server != null);
        if (server != null) {
            server.countOpened();
        }
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
        io.flush();
    }

    private void failAttempt(Throwable e) {
        if (attempt != null) {
            attempt.future.completeExceptionally(e);
        }
    }

    // ---- failures and the close handshake (loop thread) ----

    void ioFailure(IOException e) {
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
        terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, String.valueOf(e.getMessage())), true);
    }

    void internalFailure(RuntimeException e) {
        LOG.log(Level.WARNING, "connection " + remote + " failed", e);
        if (state == State.OPEN) {
            calls.error(e);
            failConnection(CloseCodes.INTERNAL_ERROR, "internal error", false);
        } else {
            failAttempt(e);
            terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "internal error"), false);
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
        failConnection(CloseCodes.INTERNAL_ERROR, "internal error", true);
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
            io.endAfterFlush();
        }
        armCloseTimer();
        outbox.scheduleFlush();
    }

    /**
     * The peer does not read and the outbound buffer passed its hard limit: stop reading and drop
     * the connection now, reporting {@code code} as ours. Called by {@link Outbox}.
     */
    void dropSlowPeer(int code, String reason) {
        if (state != State.OPEN) {
            return;
        }
        terminate(new CloseStatus(code, reason), false);
    }

    /** Re-evaluates what the socket waits for (reading pauses while not writable). Loop thread. */
    void updateInterest() {
        io.updateInterest();
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
    void afterCloseWritten() {
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
        Deadlines.Due due = deadlines.due(now, state, close.isClosing());
        if (due.dropReason != null) {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "connection " + remote + ": " + due.dropReason);
            }
            failAttempt(new SocketTimeoutException(due.dropReason)); // a no-op once open
            terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, due.dropReason), false);
            return;
        }
        if (due == Deadlines.Due.IDLE) {
            handle.close(CloseCodes.GOING_AWAY, "idle timeout");
        } else if (due == Deadlines.Due.PING) {
            outbox.queuePing();
        }
        rescheduleTimer();
    }

    // ---- requests from the handle and the runtimes ----

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
            terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "aborted"), false);
        } else {
            loop.execute(() -> terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "aborted"), false));
        }
    }

    /** Server shutdown: close 1001 if open, drop if still handshaking. Loop thread. */
    void goAway() {
        if (state == State.OPEN) {
            handle.close(CloseCodes.GOING_AWAY, "server shutting down");
        } else if (state != State.CLOSED) {
            terminate(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "server shutting down"), false);
        }
    }

    /** True when a send now is written by the flush ending the current read. See {@link ConnectionIo#flushesAfterRead}. */
    boolean flushesAfterRead() {
        return io.flushesAfterRead();
    }

    /** Writes what is queued. Loop thread. */
    void flush() {
        io.flush();
    }

    /** See {@link ConnectionIo#hold()}. Loop thread. */
    void hold() {
        io.hold();
    }

    /** See {@link ConnectionIo#release()}. Loop thread. */
    void release() {
        io.release();
    }

    // ---- the end (loop thread) ----

    /** What had to go out before closing (a rejected handshake, a failure's close frame) went. */
    void flushedToEnd() {
        terminate(null, false);
    }

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
        io.close();
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
            TransportEvents.closed(remote, handle, server != null, status.code(), status.reason(), report.byPeer(),
                    openedNanos, io.bytesRead(), outbox.bytesWritten());
            calls.closed(status, report.byPeer());
        }
    }

    @Override
    public String toString() {
        return "WebSocket[" + role + " " + remote + " " + state + "]";
    }
}
