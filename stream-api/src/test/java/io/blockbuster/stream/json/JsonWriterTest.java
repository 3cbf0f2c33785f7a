package io.blockbuster.stream.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    record Metric(String name, double value, List<Integer> samples) {
    }

    private record Hidden(int a, Optional<String> b) {
    }

    enum Level { LOW, HIGH }

    @Test
    void writesScalars() {
        assertThat(Json.write(null)).isEqualTo("null");
        assertThat(Json.write(true)).isEqualTo("true");
        assertThat(Json.write(42)).isEqualTo("42");
        assertThat(Json.write(-7L)).isEqualTo("-7");
        assertThat(Json.write(1.5)).isEqualTo("1.5");
        assertThat(Json.write(1e20)).isEqualTo("1.0E20");
        assertThat(Json.write(new BigDecimal("1E+3"))).isEqualTo("1E+3");
        assertThat(Json.write(new BigInteger("123456789012345678901234567890"))).isEqualTo("123456789012345678901234567890");
        assertThat(Json.write('c')).isEqualTo("\"c\"");
        assertThat(Json.write(Level.HIGH)).isEqualTo("\"HIGH\"");
    }

    @Test
    void writtenNumbersParseBack() {
        for (Object n : List.of(1e20, 1.0E-7, -0.0, Double.MAX_VALUE, Double.MIN_VALUE, 3.14f, new BigDecimal("1E+3"))) {
            assertThat(Json.parse(Json.write(n))).isInstanceOf(BigDecimal.class);
        }
    }

    @Test
    void escapesStrings() {
        assertThat(Json.write("a\"b\\c\n\r\t\b\f\u0001\u001f/\u00e9\ud83d\ude00"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f/\u00e9\ud83d\ude00\"");
    }

    @Test
    void everyStringRoundTrips() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0xD800; c++) {
            all.append(c);
        }
        all.append("\ud83d\ude00\uffff");
        assertThat(Json.parse(Json.write(all.toString()))).isEqualTo(all.toString());
    }

    @Test
    void rejectsWhatJsonCannotCarry() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Float.NEGATIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write("a\ud800b")).hasMessage("lone surrogate at index 1 of a string");
        assertThatThrownBy(() -> Json.write("\udc00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageStartingWith("cannot write java.lang.Object");
        Map<Object, Object> badKey = new LinkedHashMap<>();
        badKey.put(List.of(), 1);
        assertThatThrownBy(() -> Json.write(badKey)).isInstanceOf(IllegalArgumentException.class);
        Map<Object, Object> nullKey = new LinkedHashMap<>();
        nullKey.put(null, 1);
        assertThatThrownBy(() -> Json.write(nullKey)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cycleFailsInsteadOfOverflowingTheStack() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> Json.write(cycle)).hasMessageContaining("deeper than 512");
    }

    @Test
    void writesCollectionsArraysAndMapsInIterationOrder() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("z", List.of(1, 2));
        map.put(Level.LOW, new int[] {3, 4});
        map.put(5, new String[] {"x", null});
        map.put(true, new TreeMap<>(Map.of("b", 1, "a", 2)));
        assertThat(Json.write(map)).isEqualTo("{\"z\":[1,2],\"LOW\":[3,4],\"5\":[\"x\",null],\"true\":{\"a\":2,\"b\":1}}");
        assertThat(Json.write(new double[] {0.5})).isEqualTo("[0.5]");
        assertThat(Json.write(new boolean[0])).isEqualTo("[]");
    }

    @Test
    void writesRecordsByComponentName() {
        assertThat(Json.write(new Metric("tps", 12.5, List.of(1, 2))))
                .isEqualTo("{\"name\":\"tps\",\"value\":12.5,\"samples\":[1,2]}");
        assertThat(Json.write(List.of(new Hidden(1, Optional.empty()), new Hidden(2, Optional.of("x")))))
                .isEqualTo("[{\"a\":1,\"b\":null},{\"a\":2,\"b\":\"x\"}]");
    }

    @Test
    void rawJsonIsCopiedVerbatimAndValidated() {
        RawJson raw = RawJson.of("{\"pre\": [1, 2]}");
        assertThat(Json.write(Map.of("data", raw))).isEqualTo("{\"data\":{\"pre\": [1, 2]}}");
        assertThatThrownBy(() -> RawJson.of("{\"a\":1}x")).isInstanceOf(JsonException.class);
        assertThat(Json.write(RawJson.trusted("7"))).isEqualTo("7");
    }

    @Test
    void utf8OutputMatchesText() {
        Object value = Map.of("k", "\u00e9\ud83d\ude00");
        assertThat(Json.writeUtf8(value)).isEqualTo(Json.write(value).getBytes(StandardCharsets.UTF_8));
        assertThat(JsonCodec.builtIn().write(value)).isEqualTo(Json.write(value));
    }

    @Test
    void parseOfWriteIsIdentityForParsedTypes() {
        Object doc = Json.parse("{\"a\":[1,2.50,{\"b\":null,\"c\":\"\\u0000\"}],\"d\":-1.5e-3,\"e\":false}");
        assertThat(Json.parse(Json.write(doc))).isEqualTo(doc);
        assertThat(Json.write(Arrays.asList(1, null))).isEqualTo("[1,null]");
    }
}
