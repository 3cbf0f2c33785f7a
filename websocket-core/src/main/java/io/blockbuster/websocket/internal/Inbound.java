package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.FrameDecoder;
import io.blockbuster.websocket.protocol.MessageAssembler;
import io.blockbuster.websocket.protocol.MessageSink;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.Role;
import io.blockbuster.websocket.protocol.WebSocketProtocolException;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The receiving side of an open connection: bytes through the {@link FrameDecoder} and
 * {@link MessageAssembler} to the listener, a pong queued for each ping, the peer's close handed to
 * the connection. Once closed (the peer's close, a failure, the end) it ignores every further byte
 * and event, even frames the decoder still holds.
 *
 * <p>Threading: loop thread only. At rest it holds no buffer: the decoder keeps a split header in a
 * few fields and consumes every byte it is given.
 */
final class Inbound implements MessageSink {
    private final LoopConnection connection;
    private final ListenerCalls calls;
    private final Outbox outbox;
    private FrameDecoder decoder;
    private MessageAssembler assembler;
    private boolean closed;

    Inbound(LoopConnection connection, ListenerCalls calls, Outbox outbox) {
        this.connection = connection;
        this.calls = calls;
        this.outbox = outbox;
    }

    /** The handshake is done: decode frames with the negotiated extensions from now on. */
    void open(Role role, ProtocolLimits limits, List<Extension> negotiated) {
        int rsv = 0;
        for (Extension e : negotiated) {
            rsv |= e.rsvBits();
        }
        decoder = new FrameDecoder(role, limits.maxFramePayloadBytes());
        decoder.allowRsv(rsv);
        assembler = new MessageAssembler(limits, negotiated, this);
    }

    boolean isClosed() {
        return closed;
    }

    /** Nothing more is read: later bytes and events are dropped. */
    void close() {
        closed = true;
    }

    /** Decodes all of {@code buf} it can; a peer's protocol fault fails the connection. */
    void decode(ByteBuffer buf) {
        try {
            decoder.decode(buf, assembler);
        } catch (WebSocketProtocolException e) {
            if (!closed) {
                connection.protocolFailure(e);
            }
        }
        if (closed) {
            buf.position(buf.limit());
        }
    }

    @Override
    public void onText(String text) {
        if (!closed) {
            calls.text(text);
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        if (!closed) {
            calls.binary(data);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (closed) {
            return;
        }
        outbox.queuePong(ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip());
        calls.ping(payload);
    }

    @Override
    public void onPong(ByteBuffer payload) {
        if (!closed) {
            calls.pong(payload);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        connection.peerClosed(code, reason);
    }
}
