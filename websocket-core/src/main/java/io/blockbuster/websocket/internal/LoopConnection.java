package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.ProtocolSession;
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
 * accept through the {@link OpeningHandshake} to the end, its timers (what the {@link Deadlines}
 * say is due) and its reports (runtime bookkeeping, JFR events, the listener's {@code onClose}).
 * The protocol's obligations once open (pongs, close echo, failing with the peer's fault, who
 * closed and when the connection is done) are the {@link ProtocolSession}'s; the parts do the rest:
 * {@link ConnectionIo} the socket and the flush, {@link Outbox} and {@link MessageFramer} sending,
 * {@link ListenerCalls} the listener, {@link ConnectionHandle} what the host holds.
 *
 * <p>Threading: everything here runs on the loop thread; the handle's sends run on the caller's
 * thread and hand whole frames over through the {@link Outbox}. The session's closing handshake,
 * the queue and the writability flag are guarded by the send lock (the {@link Outbox}'s monitor),
 * which is never held while calling out to the listener (so the session decodes without it).
 */
final class LoopConnection extends Timed {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");

    enum State { CONNECTING, HANDSHAKE, OPEN, CLOSED }

    private final EventLoop loop;
    private final Role role;
    private final WebSocketLimits limits;
    private final ServerRuntime server;
    private final ClientRuntime clientRuntime;
    /** The connect attempt until the handshake ends (then dropped, it is not needed at rest). */
    private ClientRuntime.Attempt attempt;
    private final InetSocketAddress remote;
    private volatile State state;
    /** Until the handshake is decided. */
    private OpeningHandshake opening;

    private final ListenerCalls calls = new ListenerCalls(this);
    private final MessageFramer framer;
    private final Outbox outbox;
    private final ProtocolSession session;
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
        this.server = server;
        this.attempt = attempt;
        this.clientRuntime = attempt == null ? null : attempt.runtime;
        this.remote = remote;
        this.framer = new MessageFramer(role, encoder);
        this.outbox = new Outbox(this, loop, limits, framer, calls);
        this.session = new ProtocolSession(role, protocolLimits, calls, outbox);
        this.deadlines = new Deadlines(limits);
        this.io = new ConnectionIo(this, loop, channel, transport, outbox, deadlines);
        outbox.attach(io, session);
        this.handle = new ConnectionHandle(this, outbox, session, io, role, remote);
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

    /**
     * Bytes read: the handshake's until it is decided, then the session's. What nobody reads (after
     * a rejected handshake, after the end) is dropped.
     */
    void process(ByteBuffer buf) {
        if (state == State.HANDSHAKE && opening != null) {
            handshake(buf);
        }
        if (state == State.OPEN && buf.hasRemaining() && session.receive(buf)) {
            answerPeer();
        }
        buf.position(buf.limit());
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
            // Writes the answer and then closes the socket; nothing more is read (opening is null).
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
        session.open(negotiated);
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

    /**
     * The session owes the peer frames (pongs, the echo of its close, our close after its fault):
     * they are queued under the lock, then the listener hears of a fault and the timers follow
     * the closing handshake.
     */
    private void answerPeer() {
        if (state != State.OPEN) {
            return; // a listener ended the connection from inside a callback: nothing more goes out
        }
        synchronized (outbox) {
            session.answer();
        }
        WebSocketProtocolException fault = session.failure();
        if (fault != null) {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "connection " + remote + ": peer broke the protocol: " + fault.closeCode() + " "
                        + fault.getMessage());
            }
            calls.error(fault);
        }
        if (session.isClosing()) {
            armCloseTimer();
        }
        afterCloseStep();
        io.scheduleFlush();
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
    private void failConnection(int code, String reason, boolean waitForPeer) {
        if (state != State.OPEN) {
            return;
        }
        synchronized (outbox) {
            session.fail(code, reason);
        }
        if (!waitForPeer) {
            session.ignoreInput();
            io.endAfterFlush();
        }
        armCloseTimer();
        io.scheduleFlush();
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

    private void armCloseTimer() {
        if (deadlines.armClose()) {
            rescheduleTimer();
        }
    }

    /** Our close frame (first or echo) is on the wire. Called by {@link ConnectionIo}. */
    void closeWritten() {
        session.closeWritten();
        afterCloseStep();
    }

    /**
     * When the session says the connection is done (a server after both close frames, either side
     * after the peer's fault), the socket closes once what is queued is written; a client whose
     * close handshake is complete waits for the server to close TCP, up to the close timeout.
     */
    private void afterCloseStep() {
        if (session.isDone()) {
            io.endAfterFlush();
            io.flush();
        } else if (session.isCloseComplete()) {
            armCloseTimer();
        }
    }

    // ---- timers (loop thread) ----

    private void rescheduleTimer() {
        if (state == State.CLOSED) {
            return;
        }
        loop.timers().schedule(this, deadlines.next(state, session.isClosing()));
    }

    @Override
    void onTimer(long now) {
        Deadlines.Due due = deadlines.due(now, state, session.isClosing());
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

    // ---- the end (loop thread) ----

    /** What had to go out before closing (a rejected handshake, a failure's close frame) went. */
    void flushedToEnd() {
        terminate(null, false);
    }

    /**
     * Closes the socket and reports. The status reported is the session's: the close handshake's
     * when it finished or when a failure forced one, else {@code fallback} (when given).
     */
    private void terminate(CloseStatus fallback, boolean fallbackByPeer) {
        if (state == State.CLOSED) {
            return;
        }
        State was = state;
        state = State.CLOSED;
        // A listener may abort from inside a callback while the decoder still holds frames: ignore them.
        session.ignoreInput();
        loop.timers().remove(this);
        List<Outbound> unsent;
        CloseStatus status;
        boolean byPeer;
        synchronized (outbox) {
            // Under the lock: a sender that saw OPEN has queued its frame by now, and none can after.
            unsent = outbox.drainAll();
            // Also under the lock: a sender may be encoding with an extension right now.
            framer.closeExtensions();
            if (fallback != null) {
                session.end(fallback.code(), fallback.reason(), fallbackByPeer);
            }
            status = new CloseStatus(session.closeCode(), session.closeReason());
            byPeer = session.isClosedByPeer();
        }
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
                    + (byPeer ? " (by peer)" : ""));
        }
        if (was == State.OPEN) {
            TransportEvents.closed(remote, handle, server != null, status.code(), status.reason(), byPeer,
                    openedNanos, io.bytesRead(), outbox.bytesWritten());
            calls.closed(status, byPeer);
        }
    }

    @Override
    public String toString() {
        return "WebSocket[" + role + " " + remote + " " + state + "]";
    }
}
