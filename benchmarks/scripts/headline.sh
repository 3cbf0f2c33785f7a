#!/usr/bin/env bash
# The headline figures of BENCHMARKS.md in one go (about 10 minutes on 2 cores): the codec targets
# through JMH with -prof gc, the fan-out targets, and the echo comparison. Output: one log per step
# in benchmarks/results/<stamp>/ (JMH console output beside the jar copy in a temporary folder).
# Run on an otherwise idle machine (the log records the load).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$here/results/$stamp"
mkdir -p "$out"
jar="$(mktemp -d)/benchmarks.jar"   # a copy, so a rebuild during the run cannot pull it away
cp "$here/target/benchmarks.jar" "$jar"
{
  date -u; uptime; nproc; grep -m1 'model name' /proc/cpuinfo; java -version 2>&1 | head -2
  git -C "$here" rev-parse HEAD 2>/dev/null || true
} > "$out/env.txt"
step() { echo "== $1 (load: $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/steps.txt"; }

step "jmh codec"
java -jar "$jar" -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc -rf json -rff "$out/jmh.json" \
  "DecodeBinaryBenchmark|EncodeBinaryBenchmark|MaskingBenchmark.blockbuster" \
  -p size=16,1024,65536 -p memory=HEAP -p order=BIG_ENDIAN,LITTLE_ENDIAN > "$(dirname "$jar")/jmh.txt" 2>&1
step "jmh handshake (longer warmup: C2 compiles the parser late), UTF-8, text decoding"
java -jar "$jar" -f 1 -wi 4 -w 1s -i 3 -r 1s -prof gc -rf json -rff "$out/jmh-handshake.json" \
  "HandshakeBenchmark|Utf8Benchmark|DecodeTextBenchmark" -p size=1024 > "$(dirname "$jar")/jmh-handshake.txt" 2>&1
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cp_run() { java -Xmx4g -cp "$jar" "$@"; }
step "fanout 10000 x 10/s x 256 B"
cp_run io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections 10000 --rate 10 --size 256 --seconds 20 --warmup 5 --idle 5 > "$out/fanout-10k-10.txt" 2>&1
step "fanout 10000 x 100/s x 256 B"
cp_run io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections 10000 --rate 100 --size 256 --seconds 20 --warmup 5 --idle 5 > "$out/fanout-10k-100.txt" 2>&1
step "fanout raw transport 10000 x 100/s x 256 B"
cp_run io.blockbuster.benchmarks.fanout.FanoutBenchmark --mode raw --connections 10000 --rate 100 --size 256 --seconds 20 --warmup 5 --idle 5 > "$out/fanout-raw-10k-100.txt" 2>&1
step "echo 100 x 1 KiB"
java -Xmx256m -cp "$jar" io.blockbuster.benchmarks.echo.EchoBenchmark --connections 100 --size 1024 --seconds 10 --warmup 5 --repeats 3 > "$out/echo.txt" 2>&1
step "done"
echo "$out"
