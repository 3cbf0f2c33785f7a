package io.blockbuster.stream.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hub's request reader: every well-formed request, and hostile text answered with the right code. */
class RequestDecoderTest {
    private final RequestDecoder decoder = new RequestDecoder(4096);

    private ClientRequest.Invalid invalid(String text) {
        ClientRequest r = decoder.decode(text);
        assertThat(r).as(text).isInstanceOf(ClientRequest.Invalid.class);
        return (ClientRequest.Invalid) r;
    }

    @Test
    void readsEachRequest() {
        assertThat(decoder.decode("{\"type\":\"ping\"}")).isEqualTo(new ClientRequest.Ping());
        assertThat(decoder.decode("{\"type\":\"subscribe\",\"stream\":\"receipts\"}"))
                .isEqualTo(new ClientRequest.Subscribe("receipts", null, null));
        assertThat(decoder.decode("{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":7,\"epoch\":\"e1\"}"))
                .isEqualTo(new ClientRequest.Subscribe("receipts", 7L, "e1"));
        assertThat(decoder.decode("{\"stream\":\"receipts\",\"type\":\"unsubscribe\",\"extra\":[1,2]}"))
                .isEqualTo(new ClientRequest.Unsubscribe("receipts"));
    }

    @Test
    void readsWhatTheJavaClientWrites() {
        ClientRequest[] written = {
            new ClientRequest.Subscribe("receipts", null, null),
            new ClientRequest.Subscribe("receipts", 0L, "e1"),
            new ClientRequest.Subscribe("a.b:c-d_e", Long.MAX_VALUE, "\u00e9poch \"quoted\""),
            new ClientRequest.Unsubscribe("receipts"),
            new ClientRequest.Ping(),
        };
        for (ClientRequest r : written) {
            String json = r instanceof ClientRequest.Subscribe s ? s.toJson()
                    : r instanceof ClientRequest.Unsubscribe u ? u.toJson() : ((ClientRequest.Ping) r).toJson();
            assertThat(decoder.decode(json)).as(json).isEqualTo(r);
        }
    }

    @Test
    void writesTheWireFormatByteForByte() {
        assertThat(new ClientRequest.Subscribe("receipts", null, null).toJson())
                .isEqualTo("{\"type\":\"subscribe\",\"stream\":\"receipts\"}");
        assertThat(new ClientRequest.Subscribe("receipts", 41L, "e1").toJson())
                .isEqualTo("{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":41,\"epoch\":\"e1\"}");
        assertThat(new ClientRequest.Unsubscribe("receipts").toJson())
                .isEqualTo("{\"type\":\"unsubscribe\",\"stream\":\"receipts\"}");
        assertThat(new ClientRequest.Ping().toJson()).isEqualTo("{\"type\":\"ping\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"type\":\"ping\"", "nul", "{\"type\":'ping'}", "{\"type\":\"ping\",}",
        "[[[[[[[[[[]]]]]]]]]]", "{\"type\":\"subscribe\",\"stream\":\"s\",\"x\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}}",
        "{\"type\":\"ping\"} {}"})
    void textThatIsNotJsonWithinTheLimitsIsInvalidJson(String text) {
        assertThat(invalid(text).code()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(invalid(text).message()).startsWith("invalid JSON: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"type\":\"ping\"}]", "42", "\"ping\"", "null", "true"})
    void jsonThatIsNotAnObjectIsAnInvalidRequest(String text) {
        assertThat(invalid(text)).isEqualTo(new ClientRequest.Invalid(ErrorCode.INVALID_REQUEST,
                "request must be a JSON object", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\":null}", "{\"type\":1}", "{\"type\":[\"ping\"]}", "{\"Type\":\"ping\"}",
        "{\"type\":{\"name\":\"ping\"}}"})
    void aMissingOrNonStringTypeIsMissingType(String text) {
        assertThat(invalid(text).code()).isEqualTo(ErrorCode.MISSING_TYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"publish\"}", "{\"type\":\"PING\"}", "{\"type\":\"\"}",
        "{\"type\":\"subscribed\",\"stream\":\"s\"}", "{\"type\":\"welcome\"}"})
    void anyOtherTypeIsUnknownType(String text) {
        assertThat(invalid(text)).isEqualTo(new ClientRequest.Invalid(ErrorCode.UNKNOWN_TYPE, "unknown request type", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"subscribe\"}", "{\"type\":\"subscribe\",\"stream\":null}",
        "{\"type\":\"subscribe\",\"stream\":7}", "{\"type\":\"unsubscribe\",\"stream\":[\"s\"]}",
        "{\"type\":\"unsubscribe\"}"})
    void aMissingOrNonStringStreamIsAnInvalidRequest(String text) {
        assertThat(invalid(text)).isEqualTo(new ClientRequest.Invalid(ErrorCode.INVALID_REQUEST,
                "request needs a string \"stream\"", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "\"3\"", "true", "[1]", "99999999999999999999999", "1e400", "-0.0", "1E2"})
    void aSinceThatIsNotANonNegativeLongIsAnInvalidRequestNamingTheStream(String since) {
        ClientRequest.Invalid r = invalid("{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":" + since + "}");
        assertThat(r).isEqualTo(new ClientRequest.Invalid(ErrorCode.INVALID_REQUEST,
                "\"since\" must be a non-negative integer", "receipts"));
    }

    @Test
    void aNonStringEpochIsAnInvalidRequest() {
        assertThat(invalid("{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":1,\"epoch\":5}"))
                .isEqualTo(new ClientRequest.Invalid(ErrorCode.INVALID_REQUEST, "\"epoch\" must be a string", "receipts"));
    }

    @Test
    void aLongStreamNameIsNotEchoedBack() {
        String name = "s".repeat(65);
        assertThat(invalid("{\"type\":\"subscribe\",\"stream\":\"" + name + "\",\"since\":-1}").stream()).isNull();
        assertThat(invalid("{\"type\":\"subscribe\",\"stream\":\"" + "s".repeat(64) + "\",\"since\":-1}").stream())
                .hasSize(64);
    }

    @Test
    void textOverTheLimitIsTooLargeBeforeAnyParsing() {
        RequestDecoder small = new RequestDecoder(64);
        String ok = "{\"type\":\"subscribe\",\"stream\":\"" + "s".repeat(64 - 32) + "\"}";
        assertThat(ok).hasSize(64);
        assertThat(small.decode(ok)).isInstanceOf(ClientRequest.Subscribe.class);
        ClientRequest.Invalid r = (ClientRequest.Invalid) small.decode("{" + "x".repeat(64)); // not even JSON
        assertThat(r).isEqualTo(new ClientRequest.Invalid(ErrorCode.REQUEST_TOO_LARGE, "request longer than 64 chars", null));
    }
}
