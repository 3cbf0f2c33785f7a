#!/usr/bin/env bash
out=/work/coord/send-bench/pinned; mkdir -p $out
/tmp/bm-head/benchmarks/scripts/fanout-compare.sh --pin --repeats 2 --seconds 20 --servers "hub node group" --out $out/pin-2loops > $out/pin-2loops.txt 2>&1
/tmp/bm-head/benchmarks/scripts/fanout-compare.sh --pin --repeats 2 --seconds 20 --server-loops 1 --servers "hub group" --out $out/pin-1loop > $out/pin-1loop.txt 2>&1
echo done > $out/done
