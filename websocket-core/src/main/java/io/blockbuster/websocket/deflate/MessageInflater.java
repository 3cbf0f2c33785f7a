package io.blockbuster.websocket.deflate;

import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.protocol.WebSocketProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The inbound half of permessage-deflate for one connection (RFC 7692 section 7.2.2): appends
 * {@code 00 00 ff ff} to a compressed message and inflates it as raw DEFLATE.
 *
 * <p>Output is produced in bounded steps into a buffer that doubles from a small start and never
 * grows past the caller's limit: a message that would inflate past the limit fails with 1009 as
 * soon as one byte more than the limit comes out, so a decompression bomb costs at most about
 * twice the limit in short-lived heap, whatever its expansion ratio.
 *
 * <p>When the peer uses context takeover the connection owns one {@link Inflater} (created on the
 * first compressed message); otherwise a pooled one is borrowed per message.
 *
 * <p>Not thread safe: the caller serializes calls, in the order the messages arrived.
 */
final class MessageInflater {
    /** RFC 7692 7.2.2: the tail the sender removed. */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final byte[] NO_INPUT = new byte[0];
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** A ceiling on the first output guess, so a small frame cannot make us allocate much up front. */
    private static final int MAX_INITIAL_BYTES = 64 * 1024;

    private final CodecPool<Inflater> pool;
    private final boolean contextTakeover;
    private Inflater inflater;
    private boolean closed;

    MessageInflater(CodecPool<Inflater> pool, boolean contextTakeover) {
        this.pool = pool;
        this.contextTakeover = contextTakeover;
    }

    /**
     * Inflates one whole compressed message.
     *
     * @param payload the compressed payload without the tail; read from position to limit, and
     *     consumed
     * @param maxBytes the largest result allowed
     * @return a new heap buffer holding the message
     * @throws WebSocketProtocolException 1009 past {@code maxBytes}, 1002 for corrupt data
     */
    ByteBuffer inflate(ByteBuffer payload, long maxBytes) {
        if (closed) {
            throw new IllegalStateException("permessage-deflate is closed");
        }
        if (!payload.hasRemaining()) {
            // An empty compressed payload holds no block; leave the window as it is.
            return EMPTY.duplicate();
        }
        Inflater inf = contextTakeover ? connectionInflater() : pool.take();
        try {
            return inflate(inf, payload, (int) Math.min(maxBytes, Integer.MAX_VALUE - 16));
        } catch (DataFormatException e) {
            throw new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, "invalid compressed data");
        } finally {
            inf.setInput(NO_INPUT);
            if (!contextTakeover) {
                inf.reset();
                pool.give(inf);
            } else if (inf.finished()) {
                // A block with BFINAL set ended the DEFLATE stream (RFC 7692 7.2.3.4); the next
                // message starts a new one.
                inf.reset();
            }
        }
    }

    private static ByteBuffer inflate(Inflater inf, ByteBuffer payload, int limit) throws DataFormatException {
        inf.setInput(payload);
        int guess = (int) Math.min(MAX_INITIAL_BYTES, Math.max(256L, 4L * payload.remaining()));
        byte[] out = new byte[Math.min(limit, guess)];
        int n = 0;
        boolean tailGiven = false;
        for (;;) {
            if (n < out.length) {
                n += inf.inflate(out, n, out.length - n);
            } else if (n < limit) {
                out = Arrays.copyOf(out, (int) Math.min(limit, 2L * out.length));
                continue;
            } else if (inf.inflate(new byte[1]) > 0) {
                // Full at the limit and still producing: refuse before spending more memory.
                throw new WebSocketProtocolException(CloseCodes.MESSAGE_TOO_BIG,
                        "inflated message exceeds " + limit + " bytes");
            }
            if (inf.finished()) {
                break;
            }
            if (inf.needsInput()) {
                if (tailGiven) {
                    break;
                }
                inf.setInput(TAIL);
                tailGiven = true;
            } else if (inf.needsDictionary()) {
                throw new DataFormatException("dictionary requested");
            }
            // otherwise the output was full: loop to grow it or to probe past the limit
        }
        return ByteBuffer.wrap(out, 0, n);
    }

    private Inflater connectionInflater() {
        Inflater inf = inflater;
        if (inf == null) {
            inf = new Inflater(true);
            inflater = inf;
        }
        return inf;
    }

    boolean usesContextTakeover() {
        return contextTakeover;
    }

    boolean hasNativeState() {
        return inflater != null;
    }

    /** The connection's own Inflater, or null (for tests). */
    Inflater connectionInflaterOrNull() {
        return inflater;
    }

    /** Ends the connection's Inflater, if any; idempotent. */
    void close() {
        closed = true;
        Inflater inf = inflater;
        inflater = null;
        if (inf != null) {
            inf.end();
        }
    }
}
