package io.blockbuster.websocket.fuzz;

/**
 * How long each fuzz target runs when fuzzing (JAZZER_FUZZ=1): one round. CI runs one round per
 * target; {@code .ci/fuzz.sh SECONDS} runs each target that long in one JVM (it passes libFuzzer a
 * later {@code -max_total_time}: jazzer-junit takes the duration from the annotation only).
 * Regression runs ignore it.
 */
final class FuzzBudget {
    static final String PER_TARGET = "15s";

    private FuzzBudget() {
    }
}
