package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reassembles fragmented messages and enforces message-level rules. Not thread safe.
 */
public final class MessageAssembler implements FrameSink {
    /**
     * Creates an assembler.
     *
     * @param limits size limits
     * @param extensions negotiated extensions
     * @param sink receives messages
     */
    public MessageAssembler(ProtocolLimits limits, List<Extension> extensions, MessageSink sink) {
    }

    @Override
    public void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void payload(ByteBuffer chunk) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void frameEnd() {
        throw new UnsupportedOperationException();
    }
}
