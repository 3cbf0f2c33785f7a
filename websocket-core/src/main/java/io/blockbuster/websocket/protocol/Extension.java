package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * A negotiated extension (such as permessage-deflate) acting on whole data messages. One instance
 * belongs to one connection; not thread safe unless the implementation says so.
 */
public interface Extension extends AutoCloseable {
    /** Returns the extension's registered name, such as {@code permessage-deflate}. */
    String name();

    /** Returns the RSV bits the extension claims, e.g. {@code 0b100} for RSV1. */
    int rsvBits();

    /** Returns the negotiated parameters as they appear in the server's response. */
    ExtensionOffer response();

    /**
     * Inbound: transforms the whole payload of a data message whose first frame set some of
     * {@link #rsvBits()}.
     *
     * @param rsv the RSV bits of the message's first frame
     * @param payload the received payload; valid only during the call
     * @param maxMessageBytes the largest result allowed
     * @return the transformed payload
     * @throws WebSocketProtocolException 1009 if the result would exceed {@code maxMessageBytes},
     *     or another code if the payload is corrupt
     */
    ByteBuffer decodeMessage(int rsv, ByteBuffer payload, long maxMessageBytes);

    /**
     * Outbound: transforms a data message before framing.
     *
     * @param opcode {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param payload the message payload
     * @return the payload to frame and the RSV bits for its first frame
     */
    EncodedPayload encodeMessage(Opcode opcode, ByteBuffer payload);

    /** Releases any resources; idempotent. */
    @Override
    void close();
}
