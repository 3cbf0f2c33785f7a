package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental frame parser (RFC 6455 section 5.2). Not thread safe.
 */
public final class FrameDecoder {
    /**
     * Creates a decoder.
     *
     * @param local the role of this endpoint
     * @param maxFramePayloadBytes the largest payload a frame may claim (else 1009)
     */
    public FrameDecoder(Role local, long maxFramePayloadBytes) {
    }

    /**
     * Allows RSV bits claimed by a negotiated extension.
     *
     * @param rsvBits bits to allow
     */
    public void allowRsv(int rsvBits) {
        throw new UnsupportedOperationException();
    }

    /**
     * Consumes what it can of {@code in}, calling {@code sink}.
     *
     * @param in input bytes
     * @param sink receives frames
     * @throws WebSocketProtocolException on a protocol violation; the decoder is then terminal
     */
    public void decode(ByteBuffer in, FrameSink sink) {
        throw new UnsupportedOperationException();
    }

    /** Returns whether the decoder failed and now ignores input. */
    public boolean isFailed() {
        throw new UnsupportedOperationException();
    }
}
