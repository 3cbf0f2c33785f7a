#!/usr/bin/env bash
# Issue 16 A/B/C, same sitting: base (d499973), main (2c69349) and perf (this branch) jars, alternating.
# Every run is one FanoutBenchmark (10,000 connections, 256 B) through /work/coord/bench.sh (bench lock,
# fuzzers paused, load average printed before and after).
# usage: run.sh <label> <jar> <mode> <rate> [seconds] [server-jvm extra]
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
out=$(cd "$(dirname "$0")" && pwd)
label=$1 jar=$2 mode=$3 rate=$4 seconds=${5:-20} extra=${6:-}
f="$out/$mode-$rate-$label-$(date -u +%H%M%S).txt"
/work/coord/bench.sh java -Xmx4g -cp "$jar" io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections 10000 \
  --rate "$rate" --size 256 --seconds "$seconds" --warmup 5 --idle 3 --mode "$mode" \
  --server-jvm "-Xms1g -Xmx1g -XX:+AlwaysPreTouch $extra" > "$f" 2>&1
grep -v "closed early:" "$f" | grep -E "^# load|^hub|^raw|lost|latency|cpu|on time|idle|connections|arrived" | sed "s|^|$label $mode $rate: |"
