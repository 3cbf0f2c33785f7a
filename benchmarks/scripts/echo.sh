#!/usr/bin/env bash
# Closed-loop echo over N connections, our server vs Netty's: each server in a JVM of its own, our
# client in another, servers taking turns over several repetitions; prints each run, the medians,
# the ratio, CPU and load average. Wrap it in `flock /tmp/bench.lock` on a shared machine.
#   benchmarks/scripts/echo.sh --connections 100 --size 1024 --seconds 10 --warmup 5 --repeats 3
#   benchmarks/scripts/echo.sh ... --base-jar /tmp/base.jar   # adds 'base': our server from another build
# ECHO_JVM sets the flags of the server and client JVMs (the same for all), default -Xmx1g.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jar="$(mktemp -d)/benchmarks.jar"   # a copy, so a rebuild during the run cannot pull it away
cp "$here/target/benchmarks.jar" "$jar"
exec java -Xmx256m -cp "$jar" io.blockbuster.benchmarks.echo.EchoBenchmark --jvm "${ECHO_JVM:--Xmx1g}" "$@"
