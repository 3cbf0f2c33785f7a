package io.blockbuster.websocket.deflate;

import io.blockbuster.websocket.protocol.EncodedPayload;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.Role;
import java.nio.ByteBuffer;

/**
 * permessage-deflate (RFC 7692) as negotiated for one connection; created by
 * {@link PerMessageDeflate} during the handshake.
 *
 * <p>Outbound data messages of at least {@link PerMessageDeflate.Builder#minCompressBytes} bytes
 * are compressed and sent with RSV1 on their first frame, unless compression would not make them
 * smaller; control frames are never compressed. Inbound messages with RSV1 are inflated, bounded
 * by the message limit.
 *
 * <p>Threading: {@link #encodeMessage} calls must be serialized by the caller and made in the order
 * the messages go on the wire (the compression window depends on it); {@link #decodeMessage} calls
 * likewise in arrival order. The two directions may run on different threads. {@link #close()} may
 * be called from any thread at any time: it waits for a transformation in progress, ends every
 * Deflater and Inflater the connection holds, and is idempotent. After it, both transform methods
 * throw {@link IllegalStateException}.
 *
 * <p>Memory: without context takeover (the default in both directions) an idle connection holds no
 * native memory; compression state is borrowed from a shared pool for the length of one message.
 * With context takeover a direction holds one zlib stream (about 260 KiB native for a Deflater,
 * about 40 KiB for an Inflater), created when that direction first compresses.
 */
public final class PerMessageDeflateExtension implements Extension {
    /** The RSV bit permessage-deflate claims (RFC 7692 section 6). */
    public static final int RSV1 = 0b100;

    private final Role role;
    private final DeflateParameters parameters;
    private final ExtensionOffer response;
    private final MessageDeflater out;
    private final MessageInflater in;

    PerMessageDeflateExtension(Role role, DeflateParameters parameters, ExtensionOffer response,
                               MessageDeflater out, MessageInflater in) {
        this.role = role;
        this.parameters = parameters;
        this.response = response;
        this.out = out;
        this.in = in;
    }

    @Override
    public String name() {
        return PerMessageDeflate.NAME;
    }

    @Override
    public int rsvBits() {
        return RSV1;
    }

    @Override
    public ExtensionOffer response() {
        return response;
    }

    /** Returns the parameters both sides agreed to. */
    public DeflateParameters parameters() {
        return parameters;
    }

    /** Returns the side of the connection this extension is on. */
    public Role role() {
        return role;
    }

    /**
     * Inflates a message whose first frame had RSV1 set (RFC 7692 7.2.2). A message without RSV1
     * is returned unchanged.
     *
     * @return a new heap buffer holding the inflated message, which the caller may keep
     * @throws io.blockbuster.websocket.protocol.WebSocketProtocolException 1009 as soon as the
     *     output would exceed {@code maxMessageBytes}; 1002 if the data is not valid DEFLATE
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public ByteBuffer decodeMessage(int rsv, ByteBuffer payload, long maxMessageBytes) {
        if ((rsv & RSV1) == 0) {
            return payload;
        }
        synchronized (in) {
            return in.inflate(payload, maxMessageBytes);
        }
    }

    /**
     * Compresses a data message (RFC 7692 7.2.1), or leaves it as it is (RSV bits 0) when it is
     * shorter than the threshold, longer than the peer's window allows, or not smaller compressed.
     * The payload buffer's position and contents are never changed; a compressed result lives in
     * a new heap buffer the caller may keep.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public EncodedPayload encodeMessage(Opcode opcode, ByteBuffer payload) {
        if (opcode.isControl()) {
            return new EncodedPayload(payload, 0); // RFC 7692 6.1: control frames are never compressed
        }
        ByteBuffer compressed;
        synchronized (out) {
            compressed = out.deflate(payload);
        }
        return compressed == null ? new EncodedPayload(payload, 0) : new EncodedPayload(compressed, RSV1);
    }

    /**
     * Broadcast: returns the frame to write for a message compressed once for many connections,
     * or null when this connection cannot send it as it is. It can only when this extension is on
     * the server side, does not use context takeover for what it sends (the shared frame was
     * compressed without this connection's window, and the window would drift if it did), the
     * message is no shorter than the threshold and fits the client's window. Otherwise the caller
     * sends the message through {@link #encodeMessage}, or uncompressed. Safe to call from any
     * thread; the frame must still be written in order with this connection's other frames.
     *
     * @param frame the shared frame
     * @return a read-only duplicate of the frame to write, or null
     */
    public ByteBuffer sharedFrame(CompressedFrame frame) {
        if (role != Role.SERVER || out.usesContextTakeover()
                || frame.uncompressedLength() < out.minBytes() || !out.fitsWindow(frame.uncompressedLength())) {
            return null;
        }
        synchronized (out) {
            if (out.isClosed()) {
                return null;
            }
        }
        return frame.frame();
    }

    MessageDeflater deflater() {
        return out;
    }

    MessageInflater inflater() {
        return in;
    }

    /** Whether this connection currently holds a native zlib stream (for tests and measurement). */
    boolean hasNativeState() {
        return out.hasNativeState() || in.hasNativeState();
    }

    /** Ends the connection's Deflater and Inflater; idempotent and safe from any thread. */
    @Override
    public void close() {
        synchronized (out) {
            out.close();
        }
        synchronized (in) {
            in.close();
        }
    }

    @Override
    public String toString() {
        return "PerMessageDeflateExtension[" + role + ", " + parameters + "]";
    }
}
