#!/usr/bin/env bash
# The codec suite with the short settings BENCHMARKS.md reports (about 1 s per figure; add -prof gc
# for allocation). Extra arguments go to JMH, e.g. a regex: benchmarks/scripts/jmh.sh DecodeBinary
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
exec java -jar "$here/target/benchmarks.jar" -f 1 -wi 2 -w 1s -i 3 -r 1s "$@"
