#!/usr/bin/env bash
# Samples the fan-out server's user/system CPU ticks and RSS every 5 s while run.sh runs.
# usage: sample.sh <label> <jar> <mode> <rate> [seconds] [server-jvm extra]   (same as run.sh)
out=$(cd "$(dirname "$0")" && pwd)
f="$out/samples-$3-$4-$1-$(date -u +%H%M%S).txt"
( for i in $(seq 120); do
    pid=$(pgrep -f "FanoutServer --port 0 --mode $3" | head -1)
    if [ -n "$pid" ] && [ -r /proc/$pid/stat ]; then
      echo "$(date -u +%T) pid $pid utime+stime ticks $(awk '{print $14, $15}' /proc/$pid/stat) rss_kb $(awk '/^VmRSS/{print $2}' /proc/$pid/status)"
    fi
    sleep 5
  done ) > "$f" 2>&1 &
sampler=$!
"$out/run.sh" "$@"
kill $sampler 2>/dev/null
cat "$f"
