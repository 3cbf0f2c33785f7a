package io.blockbuster.stream.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing: whatever the input, the parser either returns a value whose JSON form is
 * stable under parse and write, or throws our JsonException with a position inside the input.
 */
class JsonFuzzTest {
    private static final List<String> SEEDS = List.of(
            "{\"type\":\"subscribe\",\"stream\":\"receipts\",\"since\":42,\"epoch\":\"9f3c\"}",
            "[1,-2.5e3,true,false,null,\"a\\u00e9\\ud83d\\ude00\\n\",{\"k\":[[]]}]",
            "{\"a\":{\"b\":{\"c\":[0,0.0,1E+2,\"\\\\\\\"\"]}}}",
            "\"\ud83d\ude00 \u2028 text\"");
    private static final String ALPHABET = "{}[],:\"\\/ 0123456789-+.eEtrufalsn\u0000\u001f\ud800\udc00\u00e9ux";

    @Test
    void mutatedDocumentsParseConsistentlyOrFailWithOurException() {
        Random random = new Random(20261125);
        int rejected = 0;
        for (int i = 0; i < 50_000; i++) {
            String input = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
            Object value;
            try {
                value = Json.parse(input, new JsonLimits(16, 4096));
            } catch (JsonException e) {
                assertThat(e.position()).as(input).isBetween(0, input.length());
                rejected++;
                continue;
            }
            // write is a fixed point after one round (a number's Java type may change: 0.01E+2 -> 1)
            String once = Json.write(value);
            assertThat(Json.write(Json.parse(once))).as(input).isEqualTo(once);
        }
        assertThat(rejected).as("the mutations do produce invalid documents").isGreaterThan(10_000);
    }

    private static String mutate(String seed, Random random) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                default -> sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }
}
