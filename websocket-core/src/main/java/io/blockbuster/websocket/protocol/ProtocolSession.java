package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol side of one open WebSocket connection, from the end of the opening handshake to the
 * end of the connection (RFC 6455 sections 5 to 7). Received bytes go through a {@link FrameDecoder}
 * and a {@link MessageAssembler} to the host's {@link MessageSink}. What the protocol obliges this
 * endpoint to send goes to an {@link Output}: a pong carrying each ping's payload, the echo of the
 * peer's Close, our Close when the host closes or the connection fails. It keeps the closing
 * handshake: whether data may still be sent, who closed first, the status to report, when both
 * Close frames have passed and when the connection is done. It does no I/O and has no threads,
 * clocks or locks; the transport moves the bytes, runs the timers and decides nothing of the
 * above.
 *
 * <p>Receiving is split in two so that the host's messages are delivered without a lock while
 * the close decision is taken under one: {@link #receive} decodes and delivers, and records what
 * it owes the peer; {@link #answer} then sends it.
 *
 * <p>Threading: not thread safe, and it takes no lock of its own. The transport has one receiving
 * thread (its event loop) and a lock it holds while it queues the host's frames ("the lock"):
 * <ul>
 *   <li>receiving thread, without the lock (the sink is called): {@link #open}, {@link #receive};
 *   <li>receiving thread, with or without the lock: {@link #ignoreInput}, {@link #failure},
 *       {@link #closeWritten}, {@link #isCloseComplete}, {@link #isDone};
 *   <li>receiving thread, under the lock: {@link #answer}, {@link #end};
 *   <li>any thread, under the lock: {@link #close}, {@link #fail}, {@link #canSend},
 *       {@link #isFailed}, {@link #closeCode}, {@link #closeReason}, {@link #isClosedByPeer};
 *   <li>any thread, no lock needed: {@link #isClosing}.
 * </ul>
 * The lock makes "no data frame after our Close" and "exactly one Close" hold against host sends:
 * the transport checks {@link #canSend} and queues a data frame under it. {@link Output#queue}
 * is called from inside {@link #answer}, {@link #close} and {@link #fail}, so with the lock held.
 */
public final class ProtocolSession {
    /** Where the frames the session owes the peer go; the transport implements it. */
    public interface Output {
        /**
         * Queues a control frame behind what is queued: a pong, our Close or its echo. The
         * transport frames it (masking it as a client) and writes it.
         *
         * @param opcode {@link Opcode#PONG} or {@link Opcode#CLOSE}
         * @param payload the payload, at most 125 bytes; the session does not touch it again
         */
        void queue(Opcode opcode, ByteBuffer payload);
    }

    private final Role role;
    private final ProtocolLimits limits;
    private final MessageSink sink;
    private final Output output;
    /** What the assembler delivers to: filters what arrives after the input closed. */
    private final MessageSink delivery = new Delivery();

    // Receiving: the transport's receiving thread.
    private FrameDecoder decoder;
    private MessageAssembler assembler;
    /** The peer's Close arrived, the peer broke the protocol, or the transport ended: nothing more is read. */
    private boolean inputClosed;
    /** Pongs owed since the last {@link #answer()}, one per ping; null at rest. */
    private List<ByteBuffer> owedPongs;
    /**
     * The input closed on the peer's Close ({@code failure} null) or its fault: {@link #answer()}
     * owes the echo or our failing Close. (One flag for both keeps an idle connection 8 bytes smaller.)
     */
    private boolean owesClose;
    private int peerCode;
    private String peerReason;
    private WebSocketProtocolException failure;
    /** Our Close frame is written (loop thread). */
    private boolean closeWritten;

    // The closing handshake: under the transport's lock.
    /** Our Close (first or echo) is queued: nothing may follow it. */
    private boolean closeSent;
    /** The peer's Close was answered. */
    private boolean closeReceived;
    private volatile boolean closing;
    /** What the end reports: the first Close, unless a failure or the transport's end overrides it. */
    private int reportCode = CloseCodes.ABNORMAL_CLOSURE;
    private String reportReason = "";
    private boolean reportByPeer;
    /** A failure chose the reported code; nothing overrides it. */
    private boolean failed;

    /**
     * Creates the session of one connection; call {@link #open} before the first {@link #receive}.
     *
     * @param role this endpoint's role: a server requires masked frames, a client rejects them
     * @param limits frame and message size limits (over one: 1009)
     * @param sink receives the peer's messages, pings, pongs and Close, in wire order
     * @param output receives the frames the session owes the peer
     */
    public ProtocolSession(Role role, ProtocolLimits limits, MessageSink sink, Output output) {
        if (role == null || limits == null || sink == null || output == null) {
            throw new NullPointerException("role, limits, sink and output are required");
        }
        this.role = role;
        this.limits = limits;
        this.sink = sink;
        this.output = output;
    }

    /**
     * The opening handshake is done: frames are decoded with the negotiated extensions from now on.
     *
     * @param negotiated the extensions in negotiation order; may be empty
     */
    public void open(List<Extension> negotiated) {
        int rsv = 0;
        for (Extension e : negotiated) {
            rsv |= e.rsvBits();
        }
        decoder = new FrameDecoder(role, limits.maxFramePayloadBytes());
        decoder.allowRsv(rsv);
        assembler = new MessageAssembler(limits, negotiated, delivery);
    }

    // ---- receiving (loop thread, without the lock) ----

    /**
     * Decodes all of {@code in}, delivering what it holds to the sink, and consumes it. Once the
     * peer's Close has arrived, or the peer broke the protocol, later bytes are ignored, even
     * frames already in {@code in}.
     *
     * @param in received bytes; writable (masked payloads are unmasked in place)
     * @return true when the session owes the peer a frame: call {@link #answer()} under the lock
     */
    public boolean receive(ByteBuffer in) {
        if (!inputClosed) {
            try {
                decoder.decode(in, assembler);
            } catch (WebSocketProtocolException e) {
                if (!inputClosed) {
                    // RFC 6455 7.1.7: fail the connection, process nothing more from the peer.
                    inputClosed = true;
                    failure = e;
                    owesClose = true;
                }
            }
        }
        in.position(in.limit());
        return owedPongs != null || owesClose;
    }

    /** Nothing received from now on is decoded or delivered (the transport ends the connection). */
    public void ignoreInput() {
        inputClosed = true;
    }

    /** Returns the peer's protocol fault that failed the connection, or null. */
    public WebSocketProtocolException failure() {
        return failure;
    }

    // ---- the closing handshake (under the lock) ----

    /**
     * Sends what {@link #receive} found owed, in wire order: the pongs (unless our Close went
     * first), the echo of the peer's Close (RFC 6455 5.5.1: its code, or an empty payload when it
     * had none), or our Close with the peer's fault's code.
     */
    public void answer() {
        List<ByteBuffer> pongs = owedPongs;
        owedPongs = null;
        if (pongs != null && !closeSent) {
            for (ByteBuffer p : pongs) {
                output.queue(Opcode.PONG, p);
            }
        }
        if (!owesClose) {
            return;
        }
        owesClose = false;
        if (failure != null) {
            fail(failure.closeCode(), failure.getMessage());
            return;
        }
        closeReceived = true;
        closing = true;
        if (!closeSent) {
            closeSent = true;
            setReport(peerCode, peerReason, true); // the first Close (a failure would have sent ours)
            output.queue(Opcode.CLOSE, FrameEncoder.echoClosePayload(peerCode));
        }
    }

    /**
     * The host closes: queues our Close unless one was queued already (ours or the echo).
     *
     * @param code a code valid to send
     * @param reason the reason, "" for none
     * @return true when our Close was queued now
     */
    public boolean close(int code, String reason) {
        if (closeSent) {
            return false;
        }
        closeSent = true;
        closing = true;
        setReport(code, reason, false);
        output.queue(Opcode.CLOSE, FrameEncoder.closePayload(code, reason));
        return true;
    }

    /**
     * This side fails the connection with {@code code} (a peer's fault, 1011 for our own, ...):
     * our Close goes out unless one already did, and {@code code} is what the end reports even if
     * a closing handshake was under way. Input is still read unless the peer broke the protocol
     * (the transport may {@link #ignoreInput()}).
     *
     * @param code a code valid to send
     * @param reason a short reason, safe to send
     */
    public void fail(int code, String reason) {
        if (!failed) {
            failed = true;
            setReport(code, reason, false);
        }
        closing = true;
        if (!closeSent) {
            closeSent = true;
            output.queue(Opcode.CLOSE, FrameEncoder.closePayload(code, reason));
        }
    }

    /**
     * The transport ended the connection for a reason of its own (TCP closed, an I/O error, a
     * timeout, an abort, a slow peer): that is what the end reports unless the closing handshake
     * finished or a failure chose the code.
     *
     * @param code usually {@link CloseCodes#ABNORMAL_CLOSURE}
     * @param reason the reason, "" for none
     * @param byPeer whether the peer ended it
     */
    public void end(int code, String reason, boolean byPeer) {
        closing = true;
        if (!failed && !(closeSent && closeReceived)) {
            setReport(code, reason, byPeer);
        }
    }

    /** Returns whether data frames (and pings) may still be sent: our Close is not queued. */
    public boolean canSend() {
        return !closeSent;
    }

    /** Returns whether a failure chose the reported code. */
    public boolean isFailed() {
        return failed;
    }

    /** Returns the code to report: the first Close's, a failure's, the transport's, or 1006. */
    public int closeCode() {
        return reportCode;
    }

    /** Returns the reason to report, "" for none. */
    public String closeReason() {
        return reportReason;
    }

    /** Returns whether the reported close came from the peer (its Close came first, or it ended TCP). */
    public boolean isClosedByPeer() {
        return reportByPeer;
    }

    /** Returns whether either side started closing. Any thread. */
    public boolean isClosing() {
        return closing;
    }

    private void setReport(int code, String reason, boolean byPeer) {
        reportCode = code;
        reportReason = reason == null ? "" : reason;
        reportByPeer = byPeer;
    }

    // ---- the end (loop thread) ----

    /** The transport wrote our Close frame (first or echo) to the peer. */
    public void closeWritten() {
        closeWritten = true;
    }

    /** Returns whether both Close frames have passed: ours written, the peer's received. */
    public boolean isCloseComplete() {
        return closeWritten && closeReceived;
    }

    /**
     * Returns whether the transport should close TCP now (once what is queued is written). A
     * server does after both Close frames passed; a client waits for the server to close TCP
     * (RFC 6455 7.1.1), so this stays false for it until its close timeout. Either side does
     * once its Close is written after the peer broke the protocol (RFC 6455 7.1.7).
     */
    public boolean isDone() {
        return closeWritten && (failure != null || closeReceived && role == Role.SERVER);
    }

    /** The assembler's sink: passes messages on while the input is open, and records what is owed. */
    private final class Delivery implements MessageSink {
        @Override
        public void onText(String text) {
            if (!inputClosed) {
                sink.onText(text);
            }
        }

        @Override
        public void onBinary(ByteBuffer data) {
            if (!inputClosed) {
                sink.onBinary(data);
            }
        }

        @Override
        public void onPing(ByteBuffer payload) {
            if (inputClosed) {
                return;
            }
            // RFC 6455 5.5.2: a Pong carrying the Ping's payload; the payload is valid only now.
            if (owedPongs == null) {
                owedPongs = new ArrayList<>(2);
            }
            owedPongs.add(ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip());
            sink.onPing(payload);
        }

        @Override
        public void onPong(ByteBuffer payload) {
            if (!inputClosed) {
                sink.onPong(payload);
            }
        }

        @Override
        public void onClose(int code, String reason) {
            if (inputClosed) {
                return;
            }
            inputClosed = true;
            owesClose = true;
            peerCode = code;
            peerReason = reason;
            sink.onClose(code, reason);
        }
    }
}
