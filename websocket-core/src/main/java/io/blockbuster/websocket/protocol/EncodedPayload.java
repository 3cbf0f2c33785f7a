package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * What an {@link Extension} made of an outbound message.
 *
 * @param payload the payload to frame
 * @param rsv the RSV bits for the message's first frame
 */
public record EncodedPayload(ByteBuffer payload, int rsv) {
}
