package io.blockbuster.stream.json;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the JSON reader on UTF-8 bytes (what a hub connection hands it) and on text. Invariants:
 * the only exception is {@link JsonException}, with a position inside the input; a depth limit
 * holds (no StackOverflowError however deep the input nests); an accepted document written back
 * parses to an equal value, and writing that again gives the same text (parse, write, parse is
 * stable); the byte and text entry points agree on valid UTF-8. Seeds: {@code JsonParserFuzzTestInputs/}.
 */
class JsonParserFuzzTest {
    private static final JsonLimits LIMITS = new JsonLimits(16, 8192);

    @FuzzTest(maxDuration = "15s") // as websocket-core's FuzzBudget.PER_TARGET
    void parsedDocumentsWriteBackToEqualValues(byte[] input) {
        Object fromBytes = parse(() -> Json.parseUtf8(input, LIMITS), input.length);
        String text = new String(input, StandardCharsets.UTF_8);
        boolean validUtf8 = java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), input);
        Object fromText = parse(() -> Json.parse(text, LIMITS), text.length());
        if (validUtf8 && (text.isEmpty() || text.charAt(0) != '\uFEFF')) {
            check((fromBytes == FAILED) == (fromText == FAILED), "bytes and text agree on acceptance");
        }
        for (Object value : new Object[] {fromBytes, fromText}) {
            if (value == FAILED) {
                continue;
            }
            checkDepth(value, 0);
            String written = Json.write(value);
            Object again = Json.parse(written, new JsonLimits(16, Integer.MAX_VALUE));
            check(sameValue(value, again), "parse, write, parse gives an equal value: " + written);
            check(Json.write(again).equals(written), "writing is stable");
            check(java.util.Arrays.equals(Json.writeUtf8(value), written.getBytes(StandardCharsets.UTF_8)),
                    "writeUtf8 is write in UTF-8");
        }
    }

    private static final Object FAILED = new Object();

    private interface Parse {
        Object run();
    }

    private static Object parse(Parse p, int length) {
        try {
            return p.run();
        } catch (JsonException e) {
            check(e.position() >= 0 && e.position() <= length, "position " + e.position() + " within 0.." + length);
            check(e.getMessage().endsWith("at position " + e.position()), "message names the position");
            return FAILED;
        }
    }

    private static void checkDepth(Object value, int depth) {
        if (value instanceof Map<?, ?> m) {
            check(depth < LIMITS.maxDepth(), "depth within the limit");
            for (Object v : m.values()) {
                checkDepth(v, depth + 1);
            }
        } else if (value instanceof List<?> l) {
            check(depth < LIMITS.maxDepth(), "depth within the limit");
            for (Object v : l) {
                checkDepth(v, depth + 1);
            }
        }
    }

    /**
     * Equality where numbers compare by value: 1.0E+1 is written as 10 and comes back as a Long,
     * 100.00 may come back as 100.00 or 1.0000E+2.
     */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size() || !List.copyOf(x.keySet()).equals(List.copyOf(y.keySet()))) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!sameValue(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameValue(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return java.util.Objects.equals(a, b);
    }

    private static void check(boolean condition, String invariant) {
        if (!condition) {
            throw new AssertionError("invariant broken: " + invariant);
        }
    }
}
