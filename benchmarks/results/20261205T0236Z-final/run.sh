#!/usr/bin/env bash
# Final A/B sitting: TLS RSA 200/s (before/after TlsTasks/final), JMH decode and hub fan-out (2c69349 vs final).
out=/work/coord/final-bench; mkdir -p $out
B=/tmp/bm-tlsbefore/benchmarks/target/benchmarks.jar
M=/tmp/bm-main/benchmarks/target/benchmarks.jar     # 2c69349 (+ the TLS benchmark's --key option)
F=/tmp/bm-final/benchmarks/target/benchmarks.jar    # final head
for r in 1 2; do
  for v in before final; do
    jar=$B; [ $v = final ] && jar=$F
    echo "== rsa $v round $r" >> $out/tls-rsa200.txt
    /work/coord/bench.sh java -cp $jar io.blockbuster.benchmarks.tls.TlsHandshakeStall --seconds 20 --rate 200 --echoers 20 --loops 1 --key rsa >> $out/tls-rsa200.txt 2>&1
  done
done
for v in main final main final; do
  jar=$M; [ $v = final ] && jar=$F
  echo "== decode $v" >> $out/jmh-decode.txt
  /work/coord/bench.sh java -jar $jar 'DecodeBinaryBenchmark.(blockbusterFrame|blockbusterMessage)$' -p memory=HEAP -p size=16,1024 -f 1 -wi 2 -w 1s -i 3 -r 1s 2>&1 | grep -E '^Decode|^# load|^Benchmark' >> $out/jmh-decode.txt
done
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
for v in main final final main; do
  jar=$M; [ $v = final ] && jar=$F
  echo "== hub 10k x 10/s $v" >> $out/fanout-hub10.txt
  /work/coord/bench.sh java -Xmx4g -cp $jar io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections 10000 --rate 10 --size 256 --seconds 20 --mode hub >> $out/fanout-hub10.txt 2>&1
done
echo done >> $out/done
