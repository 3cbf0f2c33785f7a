package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * Receives the frames a {@link FrameDecoder} parses. For every frame the calls follow the grammar
 * {@code frameStart payload* frameEnd}; {@code frameEnd} is called for empty payloads too.
 * Only header rules are checked before these calls; message semantics are the sink's business.
 */
public interface FrameSink {
    /**
     * A frame header was parsed.
     *
     * @param fin the FIN bit
     * @param rsv the three RSV bits (RSV1 = 0b100, RSV2 = 0b010, RSV3 = 0b001)
     * @param opcode the opcode (never reserved: those fail before this call)
     * @param payloadLength the payload length the header claims
     */
    void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength);

    /**
     * A piece of the payload, already unmasked in place, never empty. To avoid allocating, the
     * {@link FrameDecoder} passes its input buffer itself with position and limit narrowed to the
     * chunk and restores both afterwards: the buffer is valid only during the call and must not be
     * retained (copy, or {@code slice()} and copy, what must outlive it).
     *
     * @param chunk payload bytes between position and limit
     */
    void payload(ByteBuffer chunk);

    /** The frame's payload is complete. */
    void frameEnd();
}
