package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.protocol.EncodedPayload;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.Role;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one outgoing message into one queue unit: runs the negotiated extensions over data, then
 * frames it. Unmasked payloads of {@value #GATHER_THRESHOLD} bytes and more stay untouched behind
 * their own header (one gathering write); smaller ones and masked frames are copied behind it. A
 * {@link PreparedMessage} reuses its shared frame wherever the extensions allow.
 *
 * <p>Threading: called under the connection's send lock, which also serialises the extensions'
 * per-message state; {@link #negotiated} runs on the loop thread before any send.
 */
final class MessageFramer {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");
    /** Payloads below this are copied behind their header; larger ones go as header + payload. */
    private static final int GATHER_THRESHOLD = 1024;
    /** An RFC 7692 parameter: the server compresses each message on its own, so equal input gives equal output. */
    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";

    private final Role role;
    private final FrameEncoder encoder;
    private volatile List<Extension> extensions = List.of();

    MessageFramer(Role role, FrameEncoder encoder) {
        this.role = role;
        this.encoder = encoder;
    }

    /** The connection opened with these extensions (an immutable list). */
    void negotiated(List<Extension> negotiated) {
        extensions = negotiated;
    }

    /** A text or binary message, through the extensions. */
    ByteBuffer[] data(Opcode opcode, ByteBuffer payload) {
        int rsv = 0;
        ByteBuffer p = payload;
        for (Extension e : extensions) {
            EncodedPayload ep = e.encodeMessage(opcode, p);
            p = ep.payload();
            rsv |= ep.rsv();
        }
        return frame(rsv, opcode, p);
    }

    /** A ping, pong or close frame (extensions never touch control frames). */
    ByteBuffer[] control(Opcode opcode, ByteBuffer payload) {
        return frame(0, opcode, payload);
    }

    /**
     * A prepared message that has no {@link #shared} frame here: a frame shared by every connection
     * with the same stateless extensions, else encoded for this connection alone (clients mask each
     * frame; context takeover makes each connection's output its own).
     */
    ByteBuffer[] prepared(PreparedMessage message) {
        List<Extension> exts = extensions;
        if (role == Role.CLIENT || !isStatelessPerMessage(exts)) {
            return data(PreparedAccess.get().opcode(message), message.payload());
        }
        List<ExtensionOffer> key = new ArrayList<>(exts.size());
        for (Extension e : exts) {
            key.add(e.response());
        }
        return new ByteBuffer[] {PreparedAccess.get().variant(message, key, this::wholeFrame)};
    }

    /**
     * The message's frame shared by every connection, untouched (a server without extensions), or
     * null when this connection needs a frame of its own (see {@link #prepared}).
     */
    ByteBuffer shared(PreparedMessage message) {
        return role == Role.SERVER && extensions.isEmpty() ? PreparedAccess.get().frame(message) : null;
    }

    /** Releases what the extensions hold (their compressors). Under the send lock, at the end. */
    void closeExtensions() {
        for (Extension e : extensions) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                LOG.log(Level.DEBUG, "extension close failed", ex);
            }
        }
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

    private ByteBuffer wholeFrame(PreparedMessage m) {
        ByteBuffer[] frame = data(PreparedAccess.get().opcode(m), m.payload());
        ByteBuffer whole = ByteBuffer.allocate((int) remaining(frame));
        for (ByteBuffer b : frame) {
            whole.put(b);
        }
        return whole.flip();
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

    static long remaining(ByteBuffer[] bufs) {
        long n = 0;
        for (ByteBuffer b : bufs) {
            n += b.remaining();
        }
        return n;
    }
}
