package io.blockbuster.stream.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict parser: documented result types, every RFC 8259 rejection with its position, limits and edge values. */
class JsonParserTest {

    @Test
    void parsesEveryValueKindToDocumentedTypes() {
        Object value = Json.parse(" {\"a\":[1,-2,3.5,1e2,true,false,null,\"x\"],\"b\":{}} ");
        assertThat(value).isEqualTo(Map.of(
                "a", Arrays.asList(1L, -2L, new BigDecimal("3.5"), new BigDecimal("1e2"), true, false, null, "x"),
                "b", Map.of()));
    }

    @Test
    void objectKeepsDocumentOrder() {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(map.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void integersBeyondLongBecomeExactBigDecimal() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigDecimal("9223372036854775808"));
        assertThat(Json.parse("123456789012345678901234567890"))
                .isEqualTo(new BigDecimal("123456789012345678901234567890"));
        assertThat(Json.parse("0.1")).isEqualTo(new BigDecimal("0.1"));
        assertThat(Json.parse("-0")).isEqualTo(0L);
        assertThat(Json.parse("1E-2")).isEqualTo(new BigDecimal("0.01"));
    }

    @Test
    void decodesEscapesAndSurrogatePairs() {
        assertThat(Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\ud83d\\ude00\""))
                .isEqualTo("a\"b\\c/d\b\f\n\r\tA\u00e9\ud83d\ude00");
        assertThat(Json.parse("\"\ud83d\ude00 raw pair\"")).isEqualTo("\ud83d\ude00 raw pair");
        assertThat(Json.parse("\"\\uD83D\\uDE00\"")).isEqualTo("\ud83d\ude00");
    }

    @ParameterizedTest(name = "{0} -> {1} at {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                 | empty document               | 0",
        "`   `              | no value                     | 3",
        "[1,]               | trailing comma               | 3",
        "{\"a\":1,}         | trailing comma               | 7",
        "[,1]               | unexpected character         | 1",
        "01                 | leading zero                 | 1",
        "-01                | leading zero                 | 2",
        "+1                 | unexpected character         | 0",
        ".5                 | unexpected character         | 0",
        "1.                 | expected a digit after '.'   | 2",
        "1e                 | expected a digit in the exponent | 2",
        "-                  | expected a digit             | 1",
        "NaN                | unexpected character         | 0",
        "Infinity           | unexpected character         | 0",
        "tru                | invalid literal              | 0",
        "nul                | invalid literal              | 0",
        "'a'                | unexpected character         | 0",
        "\"\\x\"            | invalid escape               | 2",
        "\"\\u12G4\"        | invalid \\u escape           | 5",
        "\"\\ud800\"        | lone surrogate escape        | 1",
        "\"\\udc00\"        | lone surrogate escape        | 1",
        "\"\\ud800\\u0041\" | lone surrogate escape        | 1",
        "\"\\ud800x\"       | lone surrogate escape        | 1",
        "\"abc              | unterminated string          | 4",
        "{\"a\" 1}          | expected ':'                 | 5",
        "{1:2}              | expected a string key        | 1",
        "{\"a\":1 \"b\":2}  | expected ',' or '}'          | 7",
        "[1 2]              | expected ',' or ']'          | 3",
        "[1] x              | unexpected content after the value | 4",
        "{\"a\":1,\"a\":2}  | duplicate key                | 7",
        "/* c */ 1          | unexpected character         | 0",
        "1e99999999999      | number out of range          | 0",
        "[1234e2147483646]  | number out of range          | 1",
    })
    void rejectsInvalidDocumentsWithPosition(String json, String problem, int position) {
        assertThatThrownBy(() -> Json.parse(json))
                .isInstanceOfSatisfying(JsonException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).startsWith(problem).endsWith("at position " + position);
                });
    }

    @Test
    void rejectsControlCharactersInStrings() {
        for (char c = 0; c < 0x20; c++) {
            String json = "\"a" + c + "\"";
            assertThatThrownBy(() -> Json.parse(json))
                    .isInstanceOf(JsonException.class)
                    .hasMessage("control character in string at position 2");
        }
        assertThat(Json.parse("\"\u007f\"")).isEqualTo("\u007f"); // DEL is allowed by RFC 8259
    }

    @Test
    void rejectsRawLoneSurrogates() {
        assertThatThrownBy(() -> Json.parse("\"a\ud800\"")).hasMessage("lone surrogate at position 2");
        assertThatThrownBy(() -> Json.parse("\"\udc00a\"")).hasMessage("lone surrogate at position 1");
        assertThatThrownBy(() -> Json.parse("\"\ud800")).hasMessage("lone surrogate at position 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00a0 1", "\u000b1", "\f1", "1\u2028"})
    void onlyFourWhitespaceCharactersAreWhitespace(String json) {
        assertThatThrownBy(() -> Json.parse(json)).isInstanceOf(JsonException.class);
    }

    @Test
    void nestingBombIsRejectedAtTheDepthLimitWithoutStackOverflow() {
        String bomb = "[".repeat(1_000_000);
        assertThatThrownBy(() -> Json.parse(bomb))
                .isInstanceOf(JsonException.class)
                .hasMessage("nesting deeper than 64 at position 64");
        String objects = "{\"a\":".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(objects)).hasMessageStartingWith("nesting deeper than 64");
    }

    @Test
    void depthLimitIsExact() {
        JsonLimits limits = new JsonLimits(3, 1000);
        assertThat(Json.parse("[[[1]]]", limits)).isEqualTo(List.of(List.of(List.of(1L))));
        assertThatThrownBy(() -> Json.parse("[[[[1]]]]", limits)).hasMessage("nesting deeper than 3 at position 3");
        assertThatThrownBy(() -> Json.parse("[{\"a\":[{}]}]", limits)).hasMessageStartingWith("nesting deeper than 3");
    }

    @Test
    void surrogatePairEscapesAtTheEdgesOfTheRange() {
        assertThat(Json.parse("\"\\uD800\\uDC00\"")).isEqualTo(new String(Character.toChars(0x10000)));
        assertThat(Json.parse("\"\\udbff\\udfff\"")).isEqualTo(new String(Character.toChars(0x10FFFF)));
        assertThat(Json.parse("[\"\\ud83d\\ude00\",\"\\ud83d\\ude00x\"]"))
                .isEqualTo(List.of("\ud83d\ude00", "\ud83d\ude00x"));
        // Half escaped, half raw: still one lone surrogate escape as far as the escape goes.
        assertThatThrownBy(() -> Json.parse("\"\\ud83d\ude00\"")).hasMessage("lone surrogate escape at position 1");
        assertThatThrownBy(() -> Json.parse("\"\\ud83d\\u\"")).hasMessageStartingWith("truncated \\u escape");
        assertThatThrownBy(() -> Json.parse("\"\\ud83d\\")).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> Json.parse("\"\\ude00\\ud83d\"")).hasMessage("lone surrogate escape at position 1");
    }

    @Test
    void negativeZeroAndHugeExponentsParseExactlyAndWriteBackAsValidJson() {
        assertThat(Json.parse("-0")).isEqualTo(0L);
        assertThat(Json.parse("-0.0")).isEqualTo(new BigDecimal("-0.0"));
        assertThat(Json.parse("-0e5")).isEqualTo(new BigDecimal("-0e5"));
        Object huge = Json.parse("1e400");
        assertThat(huge).isEqualTo(new BigDecimal("1E+400"));
        assertThat(Json.parse(Json.write(huge))).isEqualTo(huge);
        Object tiny = Json.parse("-1.5E-400");
        assertThat(Json.parse(Json.write(tiny))).isEqualTo(tiny);
        assertThat(Json.parse("1e2147483647")).isEqualTo(new BigDecimal("1e2147483647"));
    }

    @Test
    void defaultDepthLimitIsExactForArraysAndObjects() {
        assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
        assertThatThrownBy(() -> Json.parse("[".repeat(65) + "]".repeat(65)))
                .hasMessage("nesting deeper than 64 at position 64");
        assertThat(Json.parse("{\"a\":".repeat(63) + "{}" + "}".repeat(63))).isInstanceOf(Map.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":".repeat(64) + "{}" + "}".repeat(64)))
                .hasMessage("nesting deeper than 64 at position " + 5 * 64);
    }

    @Test
    void deepestAllowedLimitParsesOnAnOrdinaryThreadStack() throws Exception {
        JsonLimits deepest = new JsonLimits(4096, 1 << 20);
        String json = "[".repeat(4096) + "]".repeat(4096);
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(Json.parse(json, deepest));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join(30_000);
        assertThat(result.get()).isInstanceOf(List.class);
    }

    @Test
    void inputSizeIsCheckedBeforeParsing() {
        JsonLimits limits = new JsonLimits(8, 10);
        assertThat(Json.parse("\"12345678\"", limits)).isEqualTo("12345678");
        assertThatThrownBy(() -> Json.parse("\"123456789\"", limits))
                .hasMessage("document longer than 10 chars at position 0");
        assertThatThrownBy(() -> Json.parseUtf8(new byte[11], limits))
                .hasMessage("document longer than 10 bytes at position 0");
    }

    @Test
    void bigDocumentsParseWithinDefaultLimits() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item ").append(i).append("\"}");
        }
        String json = sb.append(']').toString();
        assertThat(json.length()).isGreaterThan(2_000_000);
        List<?> list = (List<?>) Json.parse(json);
        assertThat(list).hasSize(100_000);
        assertThat(list.get(99_999)).isEqualTo(Map.of("id", 99_999L, "name", "item 99999"));
        String longString = "\"" + "x".repeat(3_000_000) + "\"";
        assertThat((String) Json.parse(longString)).hasSize(3_000_000);
    }

    @Test
    void longNumbersAreRejectedBeforeTheQuadraticParse() {
        String longest = "9".repeat(1000);
        assertThat(Json.parse(longest)).isEqualTo(new BigDecimal(longest));
        assertThatThrownBy(() -> Json.parse("[1," + "9".repeat(1001) + "]"))
                .hasMessage("number longer than 1000 chars at position 3");
        assertThatThrownBy(() -> Json.parse("1".repeat(3_000_000))).hasMessageStartingWith("number longer than 1000 chars");
        assertThatThrownBy(() -> Json.parse("0." + "1".repeat(999))).hasMessageStartingWith("number longer than 1000 chars");
    }

    @Test
    void utf8InputIsDecodedStrictly() {
        assertThat(Json.parseUtf8("{\"k\":\"\u00e9\ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8), JsonLimits.DEFAULT))
                .isEqualTo(Map.of("k", "\u00e9\ud83d\ude00"));
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        assertThatThrownBy(() -> Json.parseUtf8(overlong, JsonLimits.DEFAULT)).hasMessage("invalid UTF-8 at position 1");
        byte[] encodedSurrogate = {'"', 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertThatThrownBy(() -> Json.parseUtf8(encodedSurrogate, JsonLimits.DEFAULT)).hasMessage("invalid UTF-8 at position 2");
        byte[] truncated = {'"', (byte) 0xE2, (byte) 0x82};
        assertThatThrownBy(() -> Json.parseUtf8(truncated, JsonLimits.DEFAULT)).hasMessage("invalid UTF-8 at position 1");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'};
        assertThatThrownBy(() -> Json.parseUtf8(bom, JsonLimits.DEFAULT)).hasMessage("byte order mark at position 0");
    }

    @Test
    void messagesNeverQuoteTheInput() {
        assertThatThrownBy(() -> Json.parse("{\"secret-token\":01}")).hasMessage("leading zero at position 17");
    }
}
