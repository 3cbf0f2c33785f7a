package io.blockbuster.websocket.protocol;

/**
 * Size limits enforced on inbound data; exceeding one closes the connection with 1009, detected
 * from frame headers before any payload is buffered.
 *
 * @param maxFramePayloadBytes largest payload one frame may claim
 * @param maxMessageBytes largest total payload of a (reassembled, decompressed) message
 */
public record ProtocolLimits(long maxFramePayloadBytes, long maxMessageBytes) {
    /** 1 MiB per frame and per message: safe on the open internet. */
    public static final ProtocolLimits DEFAULT = new ProtocolLimits(1 << 20, 1 << 20);

    /**
     * Validates the limits.
     *
     * @param maxFramePayloadBytes largest payload one frame may claim, {@code >= 0}
     * @param maxMessageBytes largest total payload of a message, {@code >= 0}
     * @throws IllegalArgumentException if a limit is negative
     */
    public ProtocolLimits {
        if (maxFramePayloadBytes < 0 || maxMessageBytes < 0) {
            throw new IllegalArgumentException("limits must be >= 0");
        }
    }
}
