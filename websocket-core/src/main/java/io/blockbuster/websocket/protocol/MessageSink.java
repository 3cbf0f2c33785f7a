package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * Receives whole messages from a {@link MessageAssembler}, in wire order. Buffers are valid only
 * during the call; copy what must outlive it.
 */
public interface MessageSink {
    /**
     * A complete, valid UTF-8 text message.
     *
     * @param text the message
     */
    void onText(String text);

    /**
     * A complete binary message.
     *
     * @param data the payload; valid only during the call
     */
    void onBinary(ByteBuffer data);

    /**
     * A ping; the host answers with a pong carrying the same payload.
     *
     * @param payload up to 125 bytes; valid only during the call
     */
    void onPing(ByteBuffer payload);

    /**
     * A pong.
     *
     * @param payload up to 125 bytes; valid only during the call
     */
    void onPong(ByteBuffer payload);

    /**
     * A valid Close frame.
     *
     * @param code the close code, or 1005 ({@link CloseCodes#NO_STATUS_RECEIVED}) when the frame had no body
     * @param reason the reason, "" if none
     */
    void onClose(int code, String reason);
}
