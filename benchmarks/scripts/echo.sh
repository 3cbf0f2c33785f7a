#!/usr/bin/env bash
# Closed-loop echo over N connections, our server vs Netty's, our client driving both:
#   benchmarks/scripts/echo.sh --server blockbuster --connections 100 --size 1024 --seconds 10
#   benchmarks/scripts/echo.sh --server netty       --connections 100 --size 1024 --seconds 10
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
exec java ${ECHO_JVM:--Xmx1g} -cp "$here/target/benchmarks.jar" io.blockbuster.benchmarks.echo.EchoBenchmark "$@"
