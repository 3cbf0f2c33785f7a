package io.blockbuster.stream.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's messages: written byte for byte as the browser client and the dashboard expect them
 * (the shapes of docs/stream-hub.md), read back by the Java client, and read leniently when a
 * server sends nonsense.
 */
class ServerMessageTest {
    private static final long MILLIS = 1_764_000_000_123L;

    @Test
    void writesEachMessageInTheWireFormat() {
        assertThat(new ServerMessage.Welcome("connected", List.of("a", "b"), "e1", MILLIS).toJson()).isEqualTo(
                "{\"type\":\"welcome\",\"message\":\"connected\",\"available_streams\":[\"a\",\"b\"],\"epoch\":\"e1\","
                        + "\"timestamp\":1764000000.123}");
        assertThat(new ServerMessage.Subscribed("receipts", "e1", "queue", 41, MILLIS).toJson()).isEqualTo(
                "{\"type\":\"subscribed\",\"stream\":\"receipts\",\"epoch\":\"e1\",\"policy\":\"queue\",\"seq\":41,"
                        + "\"timestamp\":1764000000.123}");
        assertThat(new ServerMessage.Unsubscribed("receipts", MILLIS).toJson())
                .isEqualTo("{\"type\":\"unsubscribed\",\"stream\":\"receipts\",\"timestamp\":1764000000.123}");
        assertThat(new ServerMessage.Pong(1_764_000_000_000L).toJson())
                .isEqualTo("{\"type\":\"pong\",\"timestamp\":1764000000.000}");
        assertThat(new ServerMessage.ErrorReply("unknown_stream", "unknown stream", "nope", MILLIS).toJson()).isEqualTo(
                "{\"type\":\"error\",\"message\":\"unknown stream\",\"code\":\"unknown_stream\",\"stream\":\"nope\","
                        + "\"timestamp\":1764000000.123}");
        assertThat(new ServerMessage.ErrorReply("missing_type", "request needs a string \"type\"", null, MILLIS).toJson())
                .isEqualTo("{\"type\":\"error\",\"message\":\"request needs a string \\\"type\\\"\",\"code\":\"missing_type\","
                        + "\"timestamp\":1764000000.123}");
        assertThat(new ServerMessage.Resync("receipts", "history_truncated", 3, 10, "e1", MILLIS).toJson()).isEqualTo(
                "{\"type\":\"resync\",\"stream\":\"receipts\",\"reason\":\"history_truncated\",\"since\":3,\"first_seq\":10,"
                        + "\"epoch\":\"e1\",\"timestamp\":1764000000.123}");
        byte[] data = new DataEnvelope("receipts", "e1").write("{\"n\":1}".getBytes(StandardCharsets.UTF_8), 7, MILLIS);
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"receipts\",\"data\":{\"n\":1},\"timestamp\":1764000000.123,\"seq\":7,\"epoch\":\"e1\"}");
    }

    @Test
    void readsBackWhatTheHubWrites() {
        ServerMessage[] written = {
            new ServerMessage.Welcome("hi", List.of("a", "b"), "e1", MILLIS),
            new ServerMessage.Subscribed("receipts", "e1", "latest", 0, MILLIS),
            new ServerMessage.Unsubscribed("receipts", MILLIS),
            new ServerMessage.Pong(MILLIS),
            new ServerMessage.ErrorReply("not_subscribed", "not subscribed", "receipts", MILLIS),
            new ServerMessage.ErrorReply("rate_limited", "slow down", null, MILLIS),
            new ServerMessage.Resync("receipts", "epoch_changed", 9, 1, "e2", MILLIS),
        };
        for (ServerMessage m : written) {
            assertThat(ServerMessage.parse(json(m))).isEqualTo(m);
        }
        String data = new String(new DataEnvelope("a.b", "e\"1").write("[1,\"x\"]".getBytes(StandardCharsets.UTF_8),
                Long.MAX_VALUE, MILLIS), StandardCharsets.UTF_8);
        assertThat(ServerMessage.parse(data))
                .isEqualTo(new ServerMessage.Data("a.b", List.of(1L, "x"), Long.MAX_VALUE, "e\"1", MILLIS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "not json", "[]", "[{\"type\":\"pong\"}]", "42", "null", "{}", "{\"type\":7}",
        "{\"type\":null,\"data\":1}"})
    void textThatIsNoTypedObjectIsNoMessage(String text) {
        assertThat(ServerMessage.parse(text)).isNull();
    }

    @Test
    void missingOrMistypedFieldsReadAsNothing() {
        assertThat(ServerMessage.parse("{\"type\":\"welcome\",\"available_streams\":\"a,b\",\"epoch\":1}"))
                .isEqualTo(new ServerMessage.Welcome(null, List.of(), null, 0));
        assertThat(ServerMessage.parse("{\"type\":\"subscribed\",\"stream\":[],\"seq\":\"5\",\"timestamp\":\"now\"}"))
                .isEqualTo(new ServerMessage.Subscribed(null, null, null, 0, 0));
        assertThat(ServerMessage.parse("{\"type\":\"error\"}"))
                .isEqualTo(new ServerMessage.ErrorReply("null", "null", null, 0));
        assertThat(ServerMessage.parse("{\"type\":\"resync\",\"since\":1.5,\"first_seq\":99999999999999999999}"))
                .isEqualTo(new ServerMessage.Resync(null, null, 0, 0, null, 0));
        assertThat(ServerMessage.parse("{\"type\":\"receipts\",\"seq\":-3,\"data\":null}"))
                .isEqualTo(new ServerMessage.Data("receipts", null, -3, null, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999999999", "-1e999999999", "1e99999999", "9223372036854775807", "1e16", "-1e16",
        "1e-999999999", "true", "\"1764000000.123\"", "{}"})
    void anAbsurdTimestampReadsAsZeroWithoutWork(String timestamp) {
        ServerMessage m = ServerMessage.parse("{\"type\":\"pong\",\"timestamp\":" + timestamp + "}");
        assertThat(m).isInstanceOf(ServerMessage.Pong.class);
        assertThat(m.timestampMillis()).isZero();
    }

    @Test
    void timestampsInRangeKeepTheirMilliseconds() {
        assertThat(ServerMessage.parse("{\"type\":\"pong\",\"timestamp\":1764000000.1239}").timestampMillis())
                .isEqualTo(1_764_000_000_123L);
        assertThat(ServerMessage.parse("{\"type\":\"pong\",\"timestamp\":1764000000}").timestampMillis())
                .isEqualTo(1_764_000_000_000L);
        assertThat(ServerMessage.parse("{\"type\":\"pong\",\"timestamp\":17.64e8}").timestampMillis())
                .isEqualTo(1_764_000_000_000L);
    }

    @Test
    void aTypeTheProtocolDoesNotReserveIsAStreamsData() {
        assertThat(ServerMessage.parse("{\"type\":\"ping\",\"data\":{\"k\":\"v\"},\"seq\":1}"))
                .isEqualTo(new ServerMessage.Data("ping", Map.of("k", "v"), 1, null, 0));
    }

    private static String json(ServerMessage m) {
        if (m instanceof ServerMessage.Welcome w) {
            return w.toJson();
        } else if (m instanceof ServerMessage.Subscribed s) {
            return s.toJson();
        } else if (m instanceof ServerMessage.Unsubscribed u) {
            return u.toJson();
        } else if (m instanceof ServerMessage.Pong p) {
            return p.toJson();
        } else if (m instanceof ServerMessage.ErrorReply e) {
            return e.toJson();
        }
        return ((ServerMessage.Resync) m).toJson();
    }
}
