package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Records messages as strings. Parts of a streamed message are joined into one event marked
 * {@code *} so that every input partition gives the same events; {@link #parts} counts them.
 */
class MessageRecorder implements PartialMessageSink {
    final List<String> events = new ArrayList<>();
    int parts;
    private StringBuilder textParts;
    private ByteArrayOutputStream binaryParts;

    @Override
    public void onText(String text) {
        assertNoPartialMessage();
        events.add("text " + text);
    }

    @Override
    public void onBinary(ByteBuffer data) {
        assertNoPartialMessage();
        events.add("binary " + FrameRecorder.describe(bytes(data)));
    }

    @Override
    public void onPing(ByteBuffer payload) {
        events.add("ping " + Hex.of(payload));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        events.add("pong " + Hex.of(payload));
    }

    @Override
    public void onClose(int code, String reason) {
        events.add("close " + code + " " + reason);
    }

    @Override
    public void onTextPart(String part, boolean last) {
        assertThat(binaryParts).isNull();
        parts++;
        if (textParts == null) {
            textParts = new StringBuilder();
        }
        textParts.append(part);
        if (last) {
            events.add("text* " + textParts);
            textParts = null;
        }
    }

    @Override
    public void onBinaryPart(ByteBuffer part, boolean last) {
        assertThat(textParts).isNull();
        parts++;
        if (binaryParts == null) {
            binaryParts = new ByteArrayOutputStream();
        }
        binaryParts.writeBytes(bytes(part));
        if (last) {
            events.add("binary* " + FrameRecorder.describe(binaryParts.toByteArray()));
            binaryParts = null;
        }
    }

    void assertNoPartialMessage() {
        assertThat(textParts).as("unfinished text parts").isNull();
        assertThat(binaryParts).as("unfinished binary parts").isNull();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
