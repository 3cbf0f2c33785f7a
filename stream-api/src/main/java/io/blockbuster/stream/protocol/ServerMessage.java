package io.blockbuster.stream.protocol;

import io.blockbuster.stream.json.Json;
import io.blockbuster.stream.json.JsonException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a hub sends a client: one record per message type, each written by its {@code toJson()} (the
 * hub) and read by {@link #parse(String)} (the Java client). Every message ends with
 * {@code "timestamp"}, Unix seconds with millisecond precision. Data messages are written by
 * {@link DataEnvelope}, around a value serialized once for all subscribers.
 */
public sealed interface ServerMessage {

    /** The server's time of the message in milliseconds since the epoch (0 if it sent none or nonsense). */
    long timestampMillis();

    /**
     * The message in {@code text}; a type the protocol does not reserve is a stream's {@link Data}.
     * Lenient, as a client must be with a server newer than itself: a missing or mistyped field reads
     * as null, 0 or empty. Returns null for text that is not a JSON object with a string {@code type}.
     */
    static ServerMessage parse(String text) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (JsonException e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)) {
            return null;
        }
        long millis = Timestamps.toMillis(m.get("timestamp"));
        String stream = string(m, "stream");
        String epoch = string(m, "epoch");
        return switch (type) {
            case "welcome" -> new Welcome(string(m, "message"), strings(m.get("available_streams")), epoch, millis);
            case "subscribed" -> new Subscribed(stream, epoch, string(m, "policy"), number(m, "seq"), millis);
            case "unsubscribed" -> new Unsubscribed(stream, millis);
            case "pong" -> new Pong(millis);
            case "error" -> new ErrorReply(String.valueOf(m.get("code")), String.valueOf(m.get("message")), stream, millis);
            case "resync" -> new Resync(stream, string(m, "reason"), number(m, "since"), number(m, "first_seq"), epoch, millis);
            default -> new Data(type, m.get("data"), number(m, "seq"), epoch, millis);
        };
    }

    /**
     * The first message on every connection.
     *
     * @param message the host's greeting
     * @param availableStreams the streams this connection may subscribe to
     * @param epoch the server run
     * @param timestampMillis the server's time
     */
    record Welcome(String message, List<String> availableStreams, String epoch, long timestampMillis)
            implements ServerMessage {
        /** The message as JSON text. */
        public String toJson() {
            Map<String, Object> m = start("welcome");
            m.put("message", message);
            m.put("available_streams", availableStreams);
            m.put("epoch", epoch);
            return finish(m, timestampMillis);
        }
    }

    /**
     * Confirms a subscribe, before any of the stream's data.
     *
     * @param stream the stream
     * @param epoch the server run
     * @param policy {@code "latest"} or {@code "queue"}
     * @param seq the seq live delivery continues after
     * @param timestampMillis the server's time
     */
    record Subscribed(String stream, String epoch, String policy, long seq, long timestampMillis)
            implements ServerMessage {
        /** The message as JSON text. */
        public String toJson() {
            Map<String, Object> m = start("subscribed");
            m.put("stream", stream);
            m.put("epoch", epoch);
            m.put("policy", policy);
            m.put("seq", seq);
            return finish(m, timestampMillis);
        }
    }

    /** Confirms an unsubscribe. @param stream the stream @param timestampMillis the server's time */
    record Unsubscribed(String stream, long timestampMillis) implements ServerMessage {
        /** The message as JSON text. */
        public String toJson() {
            Map<String, Object> m = start("unsubscribed");
            m.put("stream", stream);
            return finish(m, timestampMillis);
        }
    }

    /** Answers a ping. @param timestampMillis the server's time */
    record Pong(long timestampMillis) implements ServerMessage {
        /** The message as JSON text. */
        public String toJson() {
            return finish(start("pong"), timestampMillis);
        }
    }

    /**
     * Answers a request the hub refused; the connection stays open.
     *
     * @param code the {@link ErrorCode#wire()} code (a newer server may send codes this client does not know)
     * @param message a human-readable reason
     * @param stream the stream concerned, or null
     * @param timestampMillis the server's time
     */
    record ErrorReply(String code, String message, String stream, long timestampMillis) implements ServerMessage {
        /** The message as JSON text. */
        public String toJson() {
            Map<String, Object> m = start("error");
            m.put("message", message);
            m.put("code", code);
            if (stream != null) {
                m.put("stream", stream);
            }
            return finish(m, timestampMillis);
        }
    }

    /**
     * Tells an event-stream subscriber of a gap: it precedes a resume replay that cannot be complete
     * ({@value #HISTORY_TRUNCATED}, {@value #EPOCH_CHANGED}, {@value #AHEAD_OF_SERVER}), or, on a live
     * subscription, the first message after messages the server did not send because they were later
     * than its bound when their turn came ({@value #DELIVERY_LATE}). A client should treat a reason it
     * does not know as a gap between {@code since} and {@code firstSeq}.
     *
     * @param stream the stream
     * @param reason why: one of the constants here (a newer server may send others)
     * @param since the seq the client asked to resume after, or for {@value #DELIVERY_LATE} the last
     *     seq it was sent
     * @param firstSeq the oldest seq the server still has, or for {@value #DELIVERY_LATE} the next seq
     *     it sends (seqs {@code since + 1 .. firstSeq - 1} were not sent; resuming from {@code since}
     *     fetches those history still holds)
     * @param epoch the server run
     * @param timestampMillis the server's time
     */
    record Resync(String stream, String reason, long since, long firstSeq, String epoch, long timestampMillis)
            implements ServerMessage {
        /** Seqs after {@code since} are no longer in history. */
        public static final String HISTORY_TRUNCATED = "history_truncated";
        /** Another server run: seqs start afresh, what is retained is replayed from {@code firstSeq}. */
        public static final String EPOCH_CHANGED = "epoch_changed";
        /** {@code since} is beyond the stream's newest seq. */
        public static final String AHEAD_OF_SERVER = "ahead_of_server";
        /** Live messages were skipped because the server reached them too late (its maxDeliveryLag). */
        public static final String DELIVERY_LATE = "delivery_late";

        /** The message as JSON text. */
        public String toJson() {
            Map<String, Object> m = start("resync");
            m.put("stream", stream);
            m.put("reason", reason);
            m.put("since", since);
            m.put("first_seq", firstSeq);
            m.put("epoch", epoch);
            return finish(m, timestampMillis);
        }
    }

    /**
     * One published value of a stream; written by {@link DataEnvelope}.
     *
     * @param stream the stream (the message's {@code type})
     * @param data the parsed value, as {@link Json#parse(String)} returns it
     * @param seq the per-stream sequence number (0 if none)
     * @param epoch the server run (null from older hubs)
     * @param timestampMillis the server's time
     */
    record Data(String stream, Object data, long seq, String epoch, long timestampMillis) implements ServerMessage {
    }

    private static Map<String, Object> start(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        return m;
    }

    private static String finish(Map<String, Object> m, long millis) {
        m.put("timestamp", Timestamps.seconds(millis));
        return Json.write(m);
    }

    private static String string(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }

    private static long number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Long l ? l : 0;
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            out.add(String.valueOf(o));
        }
        return Collections.unmodifiableList(out);
    }
}
