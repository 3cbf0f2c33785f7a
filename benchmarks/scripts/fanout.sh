#!/usr/bin/env bash
# One-command fan-out benchmark: starts the server as a child JVM, opens the connections in this one.
#   benchmarks/scripts/fanout.sh --connections 10000 --rate 10 --size 256 --seconds 30
# Build first: mvn -B -q -pl benchmarks -am package -DskipTests
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# 10,000+ sockets per process need more descriptors than the usual 1024/20000 (raising the hard
# limit needs root; otherwise the soft limit is raised as far as the hard one allows).
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec java ${CLIENT_JVM:--Xmx4g} -cp "$here/target/benchmarks.jar" io.blockbuster.benchmarks.fanout.FanoutBenchmark "$@"
