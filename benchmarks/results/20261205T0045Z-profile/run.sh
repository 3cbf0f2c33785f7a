#!/usr/bin/env bash
# JFR of the fan-out server (profile.jfc with Java samples every 1 ms, native every 5 ms: fine.jfc), recording 20 s of the steady window.
# usage: run.sh <jar> <label> <mode> <rate>
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
jar=$1 label=$2 mode=$3 rate=$4
out=$(cd "$(dirname "$0")" && pwd)
jfr=/tmp/profile-$label-$mode-$rate.jfr
java -Xmx4g -cp "$jar" io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections 10000 --rate "$rate" --size 256 \
  --seconds 25 --warmup 5 --idle 3 ${EXTRA:-} --mode "$mode" \
  --server-jvm "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:StartFlightRecording=delay=${DELAY:-20s},duration=20s,settings=$out/fine.jfc,filename=$jfr" \
  > "$out/$label-$mode-$rate.txt" 2>&1
