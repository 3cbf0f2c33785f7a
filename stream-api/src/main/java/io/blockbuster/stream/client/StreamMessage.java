package io.blockbuster.stream.client;

/**
 * One data message as a {@link StreamClient} delivers it.
 *
 * @param stream the stream name
 * @param data the parsed {@code data} (types as {@link io.blockbuster.stream.json.Json#parse(String)} returns)
 * @param seq the per-stream sequence number (0 if the server sent none)
 * @param timestampMillis the server's timestamp in milliseconds since the epoch (0 if none)
 */
public record StreamMessage(String stream, Object data, long seq, long timestampMillis) {
}
