#!/usr/bin/env bash
# usage: slope.sh JAR MODE N OUT — N idle connections, jmap -histo:live total of the server
jar=$1; mode=$2; n=$3; out=$4
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
java -Xmx1g -cp $jar io.blockbuster.benchmarks.fanout.FanoutBenchmark --connections $n --rate 1 --size 256 --seconds 8 --mode $mode > $out.run 2>&1 &
for i in $(seq 1 120); do grep -q "connected in" $out.run 2>/dev/null && break; sleep 0.5; done
sleep 3
pid=$(grep -o "server pid [0-9]*" $out.run | awk '{print $3}')
jmap -histo:live $pid > $out
wait
