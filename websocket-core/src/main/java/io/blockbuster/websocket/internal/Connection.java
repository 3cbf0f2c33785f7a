package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.protocol.ClientHandshake;
import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.protocol.CloseState;
import io.blockbuster.websocket.protocol.EncodedPayload;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.FrameDecoder;
import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.HttpRequest;
import io.blockbuster.websocket.protocol.HttpRequestParser;
import io.blockbuster.websocket.protocol.HttpResponse;
import io.blockbuster.websocket.protocol.HttpResponseParser;
import io.blockbuster.websocket.protocol.MessageAssembler;
import io.blockbuster.websocket.protocol.MessageSink;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.Role;
import io.blockbuster.websocket.protocol.ServerHandshake;
import io.blockbuster.websocket.protocol.WebSocketProtocolException;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket connection on an event loop, server or client side: handshake, inbound decoding
 * into listener callbacks, the outbound queue, the close handshake and the connection's timers.
 *
 * <p>Threading: everything here runs on the loop thread except the {@link WebSocket} send methods,
 * which encode on the caller's thread and hand whole frames over through the {@link SendQueue}. The
 * close state, the report and the writability flag are guarded by {@code sendLock}, which is never
 * held while calling out to the listener.
 *
 * <p>At rest a connection holds no buffer: reads borrow one from the loop's pool and return it;
 * only a few bytes of an unfinished frame header ({@code carry}) may stay behind.
 */
final class Connection extends Timed implements WebSocket, IoHandler, MessageSink {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");
    /** Payloads below this are copied behind their header; larger ones go as header + payload. */
    private static final int GATHER_THRESHOLD = 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** An RFC 7692 parameter: the server compresses each message on its own, so equal input gives equal output. */
    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";

    enum State { CONNECTING, HANDSHAKE, OPEN, CLOSED }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final Transport transport;
    private final Role role;
    private final WebSocketLimits limits;
    private final FrameEncoder encoder;
    private final ServerRuntime server;
    private final ClientRuntime clientRuntime;
    /** The connect attempt until the handshake ends (then dropped, it is not needed at rest). */
    private ClientRuntime.Attempt attempt;
    private final InetSocketAddress remote;
    private volatile InetSocketAddress local;
    private SelectionKey key;
    private int interestOps = -1;

    private volatile State state;
    private HttpRequestParser requestParser;
    private HttpResponseParser responseParser;
    /**
     * The opening request's head as it went over the wire; {@link #request()} parses it on demand.
     * Raw bytes cost a few hundred bytes where a parsed head costs a couple of KiB per idle connection.
     */
    private volatile byte[] requestHead;
    /** Server: the request bytes seen so far, while the head is incomplete. */
    private byte[] headSoFar;
    private int headLength;
    private volatile String subprotocol;
    private volatile List<Extension> extensions = List.of();
    private volatile List<String> extensionNames = List.of();
    private WebSocketListener listener;
    private FrameDecoder decoder;
    private MessageAssembler assembler;
    private ByteBuffer carry;
    private boolean inputClosed;

    // ---- guarded by sendLock ----
    private final Object sendLock = new Object();
    private final CloseState closeState = new CloseState();
    private CloseStatus report;
    private boolean reportByPeer;
    private boolean reportForced;
    private boolean closeQueued;
    private volatile boolean closing;
    private volatile boolean writable = true;
    /** Set when {@code writable} went false; the listener hears it even if the queue drained since. */
    private boolean becameUnwritable;

    // ---- send queue ----
    private final SendQueue queue = new SendQueue();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::runFlush;
    private boolean reportedWritable = true;
    private boolean terminateAfterFlush;

    // ---- timers (nanoTime; 0 = unset) ----
    private long handshakeDeadline;
    private long closeDeadline;
    private long lastRead;
    private long pingSent;

    private volatile ConcurrentMap<String, Object> attributes;

    Connection(EventLoop loop, SocketChannel channel, Transport transport, Role role, WebSocketLimits limits,
               FrameEncoder encoder, ServerRuntime server, ClientRuntime.Attempt attempt, InetSocketAddress remote) {
        this.loop = loop;
        this.channel = channel;
        this.transport = transport;
        this.role = role;
        this.limits = limits;
        this.encoder = encoder;
        this.server = server;
        this.attempt = attempt;
        this.clientRuntime = attempt == null ? null : attempt.runtime;
        this.remote = remote;
    }

    EventLoop loopOf() {
        return loop;
    }

    // =====================================================================================
    // Start (loop thread)
    // =====================================================================================

    /** Server side: the socket was accepted; wait for the upgrade request. */
    void startServer() throws IOException {
        state = State.HANDSHAKE;
        local = (InetSocketAddress) channel.getLocalAddress();
        requestParser = new HttpRequestParser(limits.maxHandshakeHeaderBytes());
        handshakeDeadline = System.nanoTime() + limits.handshakeTimeout().toNanos();
        key = channel.register(loop.selector(), 0, this);
        transport.progress();
        updateInterest();
        rescheduleTimer();
    }

    /** Client side: start connecting. */
    void startClient(InetSocketAddress address, long connectTimeoutNanos) throws IOException {
        state = State.CONNECTING;
        handshakeDeadline = System.nanoTime() + connectTimeoutNanos;
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
        local = (InetSocketAddress) channel.getLocalAddress();
        handshakeDeadline = System.nanoTime() + limits.handshakeTimeout().toNanos();
        ClientHandshake hs = attempt.handshake;
        responseParser = new HttpResponseParser(limits.maxHandshakeHeaderBytes());
        ByteBuffer req = hs.request();
        byte[] head = new byte[req.remaining()];
        req.duplicate().get(head);
        requestHead = head;
        enqueueRaw(req.duplicate());
        transport.progress();
        flush();
        updateInterest();
        rescheduleTimer();
    }

    // =====================================================================================
    // I/O events (loop thread)
    // =====================================================================================

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

    private void handleRead() throws IOException {
        BufferPool pool = loop.pool();
        do {
            boolean wasReady = transport.isReady();
            ByteBuffer buf = pool.acquire();
            int n;
            try {
                if (carry != null) {
                    buf.put(carry);
                    carry = null;
                }
                n = transport.read(buf);
                if (n > 0) {
                    lastRead = System.nanoTime();
                }
                buf.flip();
                if (buf.hasRemaining()) {
                    process(buf);
                }
                if (state != State.CLOSED && !inputClosed && buf.hasRemaining()) {
                    carry = ByteBuffer.allocate(buf.remaining()).put(buf).flip();
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
        if (!queue.isEmpty()) {
            flush();
        }
        updateInterest();
    }

    private void process(ByteBuffer buf) {
        if (inputClosed) {
            buf.position(buf.limit());
            return;
        }
        if (state == State.HANDSHAKE) {
            if (role == Role.SERVER) {
                serverHandshake(buf);
            } else {
                clientHandshake(buf);
            }
            if (state != State.OPEN || !buf.hasRemaining()) {
                return;
            }
        }
        if (state != State.OPEN) {
            buf.position(buf.limit());
            return;
        }
        try {
            decoder.decode(buf, assembler);
        } catch (WebSocketProtocolException e) {
            if (!inputClosed) {
                protocolFailure(e);
            }
        }
        if (inputClosed) {
            buf.position(buf.limit());
        }
    }

    private void onEndOfStream() {
        if (state == State.CONNECTING || state == State.HANDSHAKE) {
            failAttempt(new IOException("connection closed during the opening handshake"));
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "connection closed during handshake"), true);
            return;
        }
        terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, ""), true);
    }

    private void ioFailure(IOException e) {
        if (state == State.CLOSED) {
            return;
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "connection " + remote + ": " + e);
        }
        if (state == State.OPEN) {
            notifyError(e);
        } else {
            failAttempt(e);
        }
        terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, String.valueOf(e.getMessage())), true);
    }

    private void internalFailure(RuntimeException e) {
        LOG.log(Level.WARNING, "connection " + remote + " failed", e);
        if (state == State.OPEN) {
            notifyError(e);
            failConnection(CloseStatus.INTERNAL_ERROR, "internal error", false);
        } else {
            failAttempt(e);
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "internal error"), false);
        }
    }

    // =====================================================================================
    // Opening handshake (loop thread)
    // =====================================================================================

    private void serverHandshake(ByteBuffer buf) {
        HttpRequest req;
        int start = buf.position();
        try {
            req = requestParser.parse(buf);
        } catch (HandshakeException e) {
            rejectHandshake(e.status(), e.getMessage());
            return;
        }
        keepHead(buf, start);
        if (req == null) {
            return;
        }
        requestParser = null;
        requestHead = java.util.Arrays.copyOf(headSoFar, headLength);
        headSoFar = null;
        ServerUpgrade.Outcome outcome = ServerUpgrade.decide(server.settings(), req);
        if (!outcome.isAccepted()) {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "request from " + remote + " answered without upgrade: " + req.method() + " "
                        + req.path());
            }
            endAfter(outcome.response());
            return;
        }
        enqueueRaw(outcome.response());
        subprotocol = outcome.subprotocol();
        listener = outcome.listener();
        open(outcome.extensions());
    }

    /** Appends the bytes the request parser consumed (bounded by the parser's header limit). */
    private void keepHead(ByteBuffer buf, int start) {
        int n = buf.position() - start;
        if (headSoFar == null) {
            headSoFar = new byte[Math.max(256, n)];
        } else if (headLength + n > headSoFar.length) {
            headSoFar = java.util.Arrays.copyOf(headSoFar, Math.max(headSoFar.length * 2, headLength + n));
        }
        buf.duplicate().position(start).limit(start + n).get(headSoFar, headLength, n);
        headLength += n;
    }

    private void rejectHandshake(int status, String body) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "handshake from " + remote + " refused: " + status + " " + body);
        }
        endAfter(ServerHandshake.reject(status, body == null ? "" : body));
    }

    /** Writes {@code out} and then closes the socket; nothing more is read. */
    private void endAfter(ByteBuffer out) {
        inputClosed = true;
        enqueueRaw(out);
        terminateAfterFlush = true;
        flush();
    }

    private void clientHandshake(ByteBuffer buf) {
        try {
            HttpResponse response = responseParser.parse(buf);
            if (response == null) {
                return;
            }
            responseParser = null;
            ClientHandshake.Result result = attempt.handshake.validate(response);
            subprotocol = result.subprotocol();
            listener = attempt.listener;
            open(result.extensions());
        } catch (HandshakeException e) {
            failAttempt(e);
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "handshake failed"), false);
        }
    }

    private void open(List<Extension> negotiated) {
        int rsv = 0;
        List<String> names = new ArrayList<>(negotiated.size());
        for (Extension e : negotiated) {
            rsv |= e.rsvBits();
            names.add(e.response().toHeaderValue());
        }
        decoder = new FrameDecoder(role, limits.maxFramePayloadBytes());
        decoder.allowRsv(rsv);
        assembler = new MessageAssembler(new ProtocolLimits(limits.maxFramePayloadBytes(), limits.maxMessageBytes()),
                negotiated, this);
        extensions = List.copyOf(negotiated);
        extensionNames = List.copyOf(names);
        handshakeDeadline = 0;
        lastRead = System.nanoTime();
        state = State.OPEN;
        rescheduleTimer();
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "connection " + remote + " open" + (subprotocol == null ? "" : " (" + subprotocol + ")"));
        }
        if (attempt != null) {
            ClientRuntime.Attempt done = attempt;
            attempt = null;
            done.future.complete(this);
        }
        try {
            listener.onOpen(this);
        } catch (Throwable t) {
            listenerFailed(t);
        }
        flush();
    }

    private void failAttempt(Throwable e) {
        if (attempt != null) {
            attempt.future.completeExceptionally(e);
        }
    }

    // =====================================================================================
    // Inbound messages (loop thread, called by the MessageAssembler)
    // =====================================================================================

    @Override
    public void onText(String text) {
        if (inputClosed) {
            return;
        }
        try {
            listener.onText(this, text);
        } catch (Throwable t) {
            listenerFailed(t);
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        if (inputClosed) {
            return;
        }
        try {
            listener.onBinary(this, data.asReadOnlyBuffer());
        } catch (Throwable t) {
            listenerFailed(t);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (inputClosed) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip();
        synchronized (sendLock) {
            if (!closeQueued) {
                offer(frame(0, Opcode.PONG, copy), null, false, false);
            }
        }
        scheduleFlush();
        try {
            listener.onPing(this, payload.asReadOnlyBuffer());
        } catch (Throwable t) {
            listenerFailed(t);
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        if (inputClosed) {
            return;
        }
        try {
            listener.onPong(this, payload.asReadOnlyBuffer());
        } catch (Throwable t) {
            listenerFailed(t);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        if (inputClosed) {
            return;
        }
        inputClosed = true;
        boolean echo;
        boolean complete;
        synchronized (sendLock) {
            echo = closeState.closeReceived();
            closing = true;
            if (echo) {
                if (report == null) {
                    report = new CloseStatus(code, reason);
                    reportByPeer = true;
                }
                // RFC 6455 5.5.1: echo the status code received; a close without status gets an empty one.
                ByteBuffer payload = FrameEncoder.echoClosePayload(code);
                closeQueued = true;
                closeState.closeSent();
                offer(frame(0, Opcode.CLOSE, payload), null, true, false);
            }
            complete = closeState.phase() == CloseState.Phase.CLOSED;
        }
        armCloseTimer();
        if (echo) {
            scheduleFlush();
        } else if (complete && closeWritten) {
            finishClosed();
        }
    }

    // =====================================================================================
    // Failures that close the connection (loop thread)
    // =====================================================================================

    private void protocolFailure(WebSocketProtocolException e) {
        inputClosed = true;
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "connection " + remote + ": peer broke the protocol: " + e.closeCode() + " " + e.getMessage());
        }
        notifyError(e);
        failConnection(e.closeCode(), e.getMessage(), false);
    }

    private void listenerFailed(Throwable t) {
        LOG.log(Level.WARNING, "WebSocket listener failed on connection " + remote, t);
        notifyError(t);
        failConnection(CloseStatus.INTERNAL_ERROR, "internal error", true);
    }

    private void notifyError(Throwable t) {
        if (listener == null) {
            return;
        }
        try {
            listener.onError(this, t);
        } catch (Throwable again) {
            LOG.log(Level.WARNING, "WebSocket listener onError failed", again);
        }
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
        synchronized (sendLock) {
            if (!reportForced) {
                report = new CloseStatus(code, reason == null ? "" : reason);
                reportByPeer = false;
                reportForced = true;
            }
            closing = true;
            if (!closeQueued && closeState.closeSent()) {
                closeQueued = true;
                offer(frame(0, Opcode.CLOSE, FrameEncoder.closePayload(code, reason == null ? "" : reason)),
                        null, true, false);
            }
        }
        if (!waitForPeer) {
            inputClosed = true;
            terminateAfterFlush = true;
        }
        armCloseTimer();
        scheduleFlush();
    }

    private void armCloseTimer() {
        if (closeDeadline == 0) {
            closeDeadline = System.nanoTime() + limits.closeTimeout().toNanos();
            rescheduleTimer();
        }
    }

    private boolean closeWritten;

    /** Our close frame (first or echo) is on the wire. */
    private void afterCloseWritten() {
        closeWritten = true;
        boolean complete;
        synchronized (sendLock) {
            complete = closeState.phase() == CloseState.Phase.CLOSED;
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

    // =====================================================================================
    // Timers (loop thread)
    // =====================================================================================

    private void rescheduleTimer() {
        if (state == State.CLOSED) {
            return;
        }
        loop.timers().schedule(this, nextDeadline());
    }

    private long nextDeadline() {
        switch (state) {
            case CONNECTING:
            case HANDSHAKE:
                return limits.handshakeTimeout().isZero() && state == State.HANDSHAKE ? Long.MAX_VALUE : handshakeDeadline;
            case OPEN: {
                long d = Long.MAX_VALUE;
                if (closeDeadline != 0) {
                    d = closeDeadline;
                }
                if (!closing) {
                    long idle = limits.idleTimeout().toNanos();
                    if (idle > 0) {
                        d = earlier(d, lastRead + idle);
                    }
                    long ping = limits.pingInterval().toNanos();
                    if (ping > 0) {
                        d = earlier(d, pingOutstanding() ? pingSent + limits.pongTimeout().toNanos() : lastRead + ping);
                    }
                }
                return d;
            }
            default:
                return Long.MAX_VALUE;
        }
    }

    private static long earlier(long a, long b) {
        if (a == Long.MAX_VALUE) {
            return b;
        }
        return a - b <= 0 ? a : b;
    }

    private boolean pingOutstanding() {
        return pingSent != 0 && pingSent - lastRead > 0;
    }

    @Override
    void onTimer(long now) {
        switch (state) {
            case CONNECTING:
            case HANDSHAKE:
                if (now - handshakeDeadline >= 0) {
                    String what = state == State.CONNECTING ? "connect timed out" : "opening handshake timed out";
                    if (LOG.isLoggable(Level.DEBUG)) {
                        LOG.log(Level.DEBUG, "connection " + remote + ": " + what);
                    }
                    failAttempt(new SocketTimeoutException(what));
                    terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, what), false);
                    return;
                }
                break;
            case OPEN:
                if (closeDeadline != 0 && now - closeDeadline >= 0) {
                    terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "close handshake timed out"), false);
                    return;
                }
                if (!closing) {
                    long idle = limits.idleTimeout().toNanos();
                    long ping = limits.pingInterval().toNanos();
                    if (idle > 0 && now - lastRead >= idle) {
                        close(CloseStatus.GOING_AWAY, "idle timeout");
                    } else if (ping > 0) {
                        if (pingOutstanding()) {
                            if (now - pingSent >= limits.pongTimeout().toNanos()) {
                                if (LOG.isLoggable(Level.DEBUG)) {
                                    LOG.log(Level.DEBUG, "connection " + remote + ": no pong, dropping");
                                }
                                terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "no pong within the pong timeout"), false);
                                return;
                            }
                        } else if (now - lastRead >= ping) {
                            pingSent = now;
                            synchronized (sendLock) {
                                if (!closeQueued) {
                                    offer(frame(0, Opcode.PING, EMPTY.duplicate()), null, false, false);
                                }
                            }
                            scheduleFlush();
                        }
                    }
                }
                break;
            default:
                return;
        }
        rescheduleTimer();
    }

    // =====================================================================================
    // Output (encode on any thread, write on the loop thread)
    // =====================================================================================

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        Objects.requireNonNull(text, "text");
        return sendData(Opcode.TEXT, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return sendData(Opcode.BINARY, data.duplicate());
    }

    @Override
    public CompletableFuture<Void> send(PreparedMessage message) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (sendLock) {
            if (!canSend()) {
                return closedFuture();
            }
            ByteBuffer[] bufs;
            List<Extension> exts = extensions;
            if (role == Role.CLIENT) {
                bufs = frameData(message.opcode(), message.payload());
            } else if (exts.isEmpty()) {
                bufs = new ByteBuffer[] {PreparedAccess.get().frame(message)};
            } else if (isStatelessPerMessage(exts)) {
                List<ExtensionOffer> key = new ArrayList<>(exts.size());
                for (Extension e : exts) {
                    key.add(e.response());
                }
                bufs = new ByteBuffer[] {PreparedAccess.get().variant(message, key, m -> {
                    ByteBuffer[] frame = frameData(m.opcode(), m.payload());
                    ByteBuffer whole = ByteBuffer.allocate((int) remaining(frame));
                    for (ByteBuffer b : frame) {
                        whole.put(b);
                    }
                    return whole.flip();
                })};
            } else {
                bufs = frameData(message.opcode(), message.payload());
            }
            if (!offer(bufs, f, false, true)) {
                return f;
            }
        }
        scheduleFlush();
        return f;
    }

    /** Every extension compresses each message from scratch (RFC 7692 no context takeover on our side). */
    private static boolean isStatelessPerMessage(List<Extension> exts) {
        for (Extension e : exts) {
            if (!e.response().parameters().containsKey(SERVER_NO_CONTEXT_TAKEOVER)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CompletableFuture<Void> sendPing(ByteBuffer payload) {
        return sendControl(Opcode.PING, payload);
    }

    @Override
    public CompletableFuture<Void> sendPong(ByteBuffer payload) {
        return sendControl(Opcode.PONG, payload);
    }

    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        if (!CloseCodes.isValidToSend(code)) {
            throw new IllegalArgumentException("close code not valid to send: " + code);
        }
        String r = reason == null ? "" : reason;
        ByteBuffer payload = FrameEncoder.closePayload(code, r);
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (sendLock) {
            if (state != State.OPEN || closeQueued || !closeState.closeSent()) {
                return CompletableFuture.completedFuture(null);
            }
            closing = true;
            closeQueued = true;
            if (report == null) {
                report = new CloseStatus(code, r);
                reportByPeer = false;
            }
            offer(frame(0, Opcode.CLOSE, payload), f, true, false);
        }
        if (loop.inLoop()) {
            armCloseTimer();
        } else {
            loop.execute(this::armCloseTimer);
        }
        scheduleFlush();
        return f;
    }

    @Override
    public void abort() {
        if (loop.inLoop()) {
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "aborted"), false);
        } else {
            loop.execute(() -> terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "aborted"), false));
        }
    }

    /** Server shutdown: close 1001 if open, drop if still handshaking. Loop thread. */
    void goAway() {
        if (state == State.OPEN) {
            close(CloseStatus.GOING_AWAY, "server shutting down");
        } else if (state != State.CLOSED) {
            terminate(new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "server shutting down"), false);
        }
    }

    private CompletableFuture<Void> sendData(Opcode opcode, ByteBuffer payload) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (sendLock) {
            if (!canSend()) {
                return closedFuture();
            }
            if (!offer(frameData(opcode, payload), f, false, true)) {
                return f;
            }
        }
        scheduleFlush();
        return f;
    }

    private CompletableFuture<Void> sendControl(Opcode opcode, ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("control frame payload " + payload.remaining() + " > 125");
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (sendLock) {
            if (!canSend()) {
                return closedFuture();
            }
            offer(frame(0, opcode, payload.duplicate()), f, false, false);
        }
        scheduleFlush();
        return f;
    }

    private boolean canSend() {
        return state == State.OPEN && !closeQueued && closeState.canSendData();
    }

    private static CompletableFuture<Void> closedFuture() {
        return CompletableFuture.failedFuture(new IllegalStateException("connection is closing or closed"));
    }

    /** Runs the negotiated extensions over a data message, then frames it. Caller holds sendLock. */
    private ByteBuffer[] frameData(Opcode opcode, ByteBuffer payload) {
        int rsv = 0;
        ByteBuffer p = payload;
        for (Extension e : extensions) {
            EncodedPayload ep = e.encodeMessage(opcode, p);
            p = ep.payload();
            rsv |= ep.rsv();
        }
        return frame(rsv, opcode, p);
    }

    private ByteBuffer[] frame(int rsv, Opcode opcode, ByteBuffer payload) {
        int len = payload.remaining();
        if (role == Role.CLIENT || len < GATHER_THRESHOLD) {
            ByteBuffer f = ByteBuffer.allocate(encoder.frameLength(len));
            encoder.encodeFrame(true, rsv, opcode, payload, f);
            return new ByteBuffer[] {f.flip()};
        }
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.headerLength(len, false));
        encoder.writeHeader(true, rsv, opcode, len, header);
        return new ByteBuffer[] {header.flip(), payload};
    }

    private static long remaining(ByteBuffer[] bufs) {
        long n = 0;
        for (ByteBuffer b : bufs) {
            n += b.remaining();
        }
        return n;
    }

    /** Loop thread, before open: a handshake request or response. */
    private void enqueueRaw(ByteBuffer bytes) {
        synchronized (sendLock) {
            offer(new ByteBuffer[] {bytes}, null, false, false);
        }
    }

    /**
     * Queues one unit. Data beyond the hard limit is refused, fails {@code f} and starts the
     * slow-peer close. Caller holds sendLock.
     */
    private boolean offer(ByteBuffer[] bufs, CompletableFuture<Void> f, boolean close, boolean data) {
        long len = remaining(bufs);
        long queued = queue.bytes();
        // A peer whose backlog is below the low watermark keeps up, so even one message larger than
        // the limit may go to it: the limit is about output piling up, not about message size.
        if (data && queued > limits.writeLowWatermark() && queued + len > limits.maxBufferedBytes()) {
            f.completeExceptionally(new IOException("peer too slow: outbound buffer over "
                    + limits.maxBufferedBytes() + " bytes"));
            loop.execute(this::slowPeer);
            return false;
        }
        long after = queue.add(new Outbound(bufs, len, f, close));
        if (writable && after > limits.writeHighWatermark()) {
            writable = false;
            becameUnwritable = true;
            loop.execute(this::reportWritability);
        }
        return true;
    }

    /** The peer stopped reading: drop what has not started, close with the configured code. */
    private void slowPeer() {
        if (state != State.OPEN) {
            return;
        }
        List<Outbound> dropped;
        synchronized (sendLock) {
            if (reportForced) {
                return;
            }
            dropped = queue.dropUnstarted();
        }
        IOException tooSlow = new IOException("peer too slow; connection closing");
        for (Outbound o : dropped) {
            if (o.future != null) {
                o.future.completeExceptionally(tooSlow);
            }
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "connection " + remote + ": peer too slow, closing");
        }
        failConnection(limits.slowPeerCloseCode(), "peer too slow to read", true);
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            loop.execute(flushTask);
        }
    }

    private void runFlush() {
        flushScheduled.set(false);
        flush();
    }

    /** Writes queued units with gathering writes until the queue is empty or the socket is full. Loop thread. */
    private void flush() {
        if (state == State.CLOSED || state == State.CONNECTING) {
            return;
        }
        try {
            if (!transport.isReady() && !transport.progress()) {
                updateInterest();
                return;
            }
            boolean wroteClose = queue.writeTo(transport, loop.gather);
            if (wroteClose) {
                afterCloseWritten();
                if (state == State.CLOSED) {
                    return;
                }
            }
            if (terminateAfterFlush && queue.isEmpty() && !transport.wantsWrite()) {
                terminate(null, false);
                return;
            }
        } catch (IOException e) {
            ioFailure(e);
            return;
        }
        updateInterest();
        reportWritability();
    }

    private void reportWritability() {
        if (state != State.OPEN) {
            return;
        }
        boolean w;
        boolean fell;
        synchronized (sendLock) {
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
        if (w != reportedWritable && state == State.OPEN) {
            notifyWritability(w);
        }
    }

    private void notifyWritability(boolean w) {
        reportedWritable = w;
        try {
            listener.onWritabilityChanged(this, w);
        } catch (Throwable t) {
            listenerFailed(t);
        }
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

    // =====================================================================================
    // The end (loop thread)
    // =====================================================================================

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
        inputClosed = true;
        loop.timers().remove(this);
        carry = null;
        CloseStatus status;
        boolean byPeer;
        List<Outbound> unsent = new ArrayList<>();
        synchronized (sendLock) {
            // Under the lock: a sender that saw OPEN has queued its frame by now, and none can after.
            unsent.addAll(queue.drainAll());
            // Also under the lock: a sender may be encoding with an extension right now.
            for (Extension e : extensions) {
                try {
                    e.close();
                } catch (RuntimeException ex) {
                    LOG.log(Level.DEBUG, "extension close failed", ex);
                }
            }
            closing = true;
            boolean complete = closeState.phase() == CloseState.Phase.CLOSED;
            if (report != null && (reportForced || complete || fallback == null)) {
                status = report;
                byPeer = reportByPeer;
            } else if (fallback != null) {
                status = fallback;
                byPeer = fallbackByPeer;
            } else {
                status = new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "");
                byPeer = false;
            }
        }
        transport.close();
        if (key != null) {
            key.cancel();
        }
        IOException closed = null;
        for (Outbound o : unsent) {
            if (o.future != null) {
                if (closed == null) {
                    closed = new ClosedChannelException();
                }
                o.future.completeExceptionally(closed);
            }
        }
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
            try {
                listener.onClose(this, status, byPeer);
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "WebSocket listener onClose failed", t);
            }
        }
    }

    // =====================================================================================
    // Queries (any thread)
    // =====================================================================================

    @Override
    public boolean isOpen() {
        return state == State.OPEN && !closing;
    }

    @Override
    public long bufferedBytes() {
        return queue.bytes();
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
        ConcurrentMap<String, Object> a = attributes;
        if (a == null) {
            synchronized (sendLock) {
                a = attributes;
                if (a == null) {
                    a = new ConcurrentHashMap<>(4);
                    attributes = a;
                }
            }
        }
        return a;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public List<String> extensions() {
        return extensionNames;
    }

    @Override
    public HttpRequest request() {
        byte[] head = requestHead;
        return head == null ? null : new HttpRequestParser(head.length + 64).parse(ByteBuffer.wrap(head));
    }

    @Override
    public boolean isClient() {
        return role == Role.CLIENT;
    }

    @Override
    public String toString() {
        return "WebSocket[" + role + " " + remote + " " + state + "]";
    }
}
