#!/usr/bin/env bash
out=/work/coord/send-bench/final
H=/tmp/bm-head/benchmarks/target/benchmarks.jar
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
while [ ! -f $out/done ]; do sleep 5; done
for lag in 250 250; do
  echo "== hub 10k x 100/s head, maxDeliveryLag $lag ms" >> $out/fanout100-lag.txt
  /work/coord/bench.sh java -Xmx4g -cp $H io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections 10000 --size 256 --seconds 20 --rate 100 --mode hub \
     --server-jvm "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dblockbuster.bench.maxDeliveryLagMillis=$lag" >> $out/fanout100-lag.txt 2>&1
done
for lag in 250; do
  echo "== hub 10k x 10/s head, maxDeliveryLag $lag ms" >> $out/fanout100-lag.txt
  /work/coord/bench.sh java -Xmx4g -cp $H io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections 10000 --size 256 --seconds 20 --rate 10 --mode hub \
     --server-jvm "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dblockbuster.bench.maxDeliveryLagMillis=$lag" >> $out/fanout100-lag.txt 2>&1
done
echo done > $out/done5
