#!/usr/bin/env bash
# Real fuzzing with Jazzer (see SECURITY.md). Every fuzz target runs for its @FuzzTest budget
# (FuzzBudget.PER_TARGET, 15 s) in a JVM of its own: one round takes under 3 minutes for all
# six targets. The corpus each round grows is kept in <module>/.cifuzz-corpus/ and picked up by
# the next round, so a longer run is more rounds:
#
#   .ci/fuzz.sh            one round (what CI runs after the regular build)
#   .ci/fuzz.sh 1800       rounds until each target has fuzzed ~30 minutes
#
# A finding fails this script (.ci/run reports it without failing CI); Jazzer writes the input into the target's
# src/test/resources/.../<Target>Inputs/<method>/ directory, where it becomes a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."
per_target=${1:-15}
round=15
rounds=$(( (per_target + round - 1) / round ))
for ((i = 1; i <= rounds; i++)); do
    echo "fuzzing round $i of $rounds"
    mvn -B -ntp -q -Pfuzz -pl websocket-core,stream-api test
done
