#!/usr/bin/env bash
# Real fuzzing with Jazzer (see SECURITY.md).
#
#   .ci/fuzz.sh            one round: every target for its @FuzzTest budget (15 s) in a JVM of its own,
#                          under 3 minutes in all (what CI runs after the regular build)
#   .ci/fuzz.sh 1800       every target for 1800 s, one JVM per target, one target after another
#                          (7 targets: 3.5 hours; run targets side by side by hand if cores allow)
#
# jazzer-junit takes the duration from the annotation only; a long run passes libFuzzer a later
# -max_total_time through Jazzer's jazzer.internal.arg.N parameters (internal to Jazzer 0.24: check
# them when upgrading). -am builds test-support, which websocket-core's tests use, on a machine that never
# installed it. The corpus each run grows is kept in <module>/.cifuzz-corpus/ and picked up by
# the next. A finding fails this script (.ci/run reports it without failing CI); Jazzer writes the
# input into the target's src/test/resources/.../<Target>Inputs/<method>/ directory, where it becomes
# a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."
per_target=${1:-15}
if (( per_target <= 15 )); then
    mvn -B -ntp -q -Pfuzz -pl websocket-core,stream-api -am test
    exit
fi
targets=(websocket-core:FrameCodecFuzzTest websocket-core:DeflateFrameCodecFuzzTest
         websocket-core:ServerHandshakeFuzzTest websocket-core:ClientHandshakeFuzzTest
         websocket-core:ExtensionOfferFuzzTest stream-api:JsonParserFuzzTest stream-api:HubRequestFuzzTest)
for t in "${targets[@]}"; do
    module=${t%%:*}
    echo "fuzzing ${t#*:} for ${per_target} s"
    mvn -B -ntp -q -Pfuzz -pl websocket-core,stream-api -am test -Dtest="${t#*:}" -Dsurefire.failIfNoSpecifiedTests=false \
        -Dfuzz.forkTimeout=$(( per_target + 600 )) \
        -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$per_target"
done
