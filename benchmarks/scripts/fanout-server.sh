#!/usr/bin/env bash
# fanout-server --port P --rate R --size S [--mode hub|raw]: prints READY <port> once listening.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec java ${SERVER_JVM:--Xmx2g} -cp "$here/target/benchmarks.jar" io.blockbuster.benchmarks.fanout.FanoutServer "$@"
