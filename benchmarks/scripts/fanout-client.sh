#!/usr/bin/env bash
# fanout-client --url ws://127.0.0.1:P/ws --connections N --seconds D: same machine as the server.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec java ${CLIENT_JVM:--Xmx4g} -cp "$here/target/benchmarks.jar" io.blockbuster.benchmarks.fanout.FanoutClient "$@"
