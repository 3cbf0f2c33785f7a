package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * A {@link MessageSink} that also takes large or fragmented messages in parts, as they arrive,
 * instead of after the whole message was buffered (see
 * {@link MessageAssembler#MessageAssembler(ProtocolLimits, java.util.List, PartialMessageSink, long)}).
 * A message is delivered either whole ({@code onText}/{@code onBinary}) or as a run of parts
 * ending with {@code last == true}, never both; control messages may come between parts.
 */
public interface PartialMessageSink extends MessageSink {
    /**
     * A part of a text message. Parts split only on character boundaries, and the UTF-8 of every
     * part was validated before delivery; invalid UTF-8 later in the message still fails it (1007)
     * after earlier parts were delivered.
     *
     * @param part the next characters, possibly empty when {@code last}
     * @param last whether this ends the message
     */
    void onTextPart(String part, boolean last);

    /**
     * A part of a binary message.
     *
     * @param part the next bytes; valid only during the call; possibly empty when {@code last}
     * @param last whether this ends the message
     */
    void onBinaryPart(ByteBuffer part, boolean last);
}
