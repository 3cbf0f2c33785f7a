#!/usr/bin/env bash
# Quiet-box A/B after all merges: base d499973 vs final head, hub mode then raw, 10k x 10/s.
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
out=/tmp/quiet; mkdir -p $out
for run in base final final base; do
  jar=/work/wt/$run/benchmarks/target/benchmarks.jar
  echo "== $run hub load: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx4g -cp $jar io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections 10000 --rate 10 --size 256 --seconds 20 --mode hub > $out/hub-$run-$RANDOM.txt 2>&1
done
