#!/usr/bin/env bash
out=/work/coord/send-bench/pinned100; mkdir -p $out
/tmp/bm-head/benchmarks/scripts/fanout-compare.sh --pin --rate 100 --repeats 2 --seconds 20 --servers "hub node" --out $out/pin-100 > $out/pin-100.txt 2>&1
echo done > $out/done
