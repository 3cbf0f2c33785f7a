#!/usr/bin/env bash
# Final quiet sitting: main (8d2fcd1 + the benchmark's gc/alloc report) vs head (send + late merged).
out=/work/coord/send-bench/final; mkdir -p $out
M=/tmp/bm-base16/benchmarks/target/benchmarks.jar
H=/tmp/bm-head/benchmarks/target/benchmarks.jar
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fb() { /work/coord/bench.sh java -Xmx4g -cp $1 io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections 10000 --size 256 --seconds 20 "${@:2}"; }
for mode in hub group; do
  for v in main head head main; do
    jar=$M; [ $v = head ] && jar=$H
    echo "== $mode 10k x 10/s $v" >> $out/fanout10.txt
    fb $jar --rate 10 --mode $mode >> $out/fanout10.txt 2>&1
  done
done
for v in head head; do
  echo "== hub 10k x 100/s $v" >> $out/fanout100.txt
  fb $H --rate 100 --mode hub >> $out/fanout100.txt 2>&1
done
/tmp/bm-head/benchmarks/scripts/fanout-compare.sh --repeats 2 --seconds 20 --servers "hub node group" --out $out/compare-2loops > $out/compare-2loops.txt 2>&1
/tmp/bm-head/benchmarks/scripts/fanout-compare.sh --repeats 2 --seconds 20 --server-loops 1 --servers "hub group" --out $out/compare-1loop > $out/compare-1loop.txt 2>&1
/work/coord/bench.sh /tmp/bm-head/benchmarks/scripts/echo.sh --connections 100 --size 1024 --seconds 10 --warmup 3 --repeats 3 --base-jar $M > $out/echo.txt 2>&1
echo done > $out/done
