package io.blockbuster.stream.protocol;

import io.blockbuster.stream.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * Writes one stream's data messages, {@code {"type":stream,"data":data,"timestamp":t,"seq":n,"epoch":e}},
 * around a value already serialized to UTF-8 JSON: the fixed parts are encoded once per stream, so
 * each published value costs one array copy. Read back as a {@link ServerMessage.Data}. Immutable.
 */
public final class DataEnvelope {
    private final byte[] prefix;
    private final byte[] suffix;

    /** The envelope of {@code stream}'s messages in run {@code epoch}. */
    public DataEnvelope(String stream, String epoch) {
        StringBuilder head = new StringBuilder("{\"type\":");
        Json.writeString(stream, head);
        head.append(",\"data\":");
        this.prefix = head.toString().getBytes(StandardCharsets.UTF_8);
        // The epoch rides on every data message, so a client can tell which server run a seq belongs
        // to from the message alone.
        StringBuilder tail = new StringBuilder(",\"epoch\":");
        Json.writeString(epoch, tail);
        this.suffix = tail.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The message carrying {@code data} (UTF-8 JSON) as number {@code seq}, stamped {@code millis}. */
    public byte[] write(byte[] data, long seq, long millis) {
        byte[] middle = (",\"timestamp\":" + Timestamps.seconds(millis).toPlainString() + ",\"seq\":" + seq)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + data.length + middle.length + suffix.length];
        int at = 0;
        System.arraycopy(prefix, 0, out, at, prefix.length);
        at += prefix.length;
        System.arraycopy(data, 0, out, at, data.length);
        at += data.length;
        System.arraycopy(middle, 0, out, at, middle.length);
        at += middle.length;
        System.arraycopy(suffix, 0, out, at, suffix.length);
        return out;
    }
}
