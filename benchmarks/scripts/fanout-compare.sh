#!/usr/bin/env bash
# Same-box yardsticks for the fan-out benchmark: runs our hub and raw servers, a plain Netty server
# (FanoutServer --mode netty) and Node's ws (benchmarks/node/fanout-ws.js), one after the other and
# alternating, each against the same FanoutClient, and prints latency, losses and CPU per run and
# the median per server. Not part of the build or CI (it needs node and npm; see docs/yardsticks.md).
#
#   benchmarks/scripts/fanout-compare.sh [--repeats 3] [--connections 10000] [--rate 10] [--size 256]
#       [--seconds 10] [--warmup 3] [--servers "hub raw netty node"] [--server-loops N] [--pin] [--out DIR]
# (servers: hub, raw, group, netty, netty-loop, node, node-scheduled: node stamping "t" with the time each
# publish was due, so that its late timer counts as latency). --server-loops sets our Java servers'
# event loops (default: one per core); Node's ws always runs on one thread. --pin runs every server
# on core 0 and the client on core 1 (taskset), so neither preempts the other. Every server starts
# paused and publishes once the client has connected. The "published" column is how many messages were published in the window
# (rate x seconds when the server keeps to its schedule; a single-threaded server may fall behind).
#
# Build first: mvn -B -q -pl benchmarks -am package -DskipTests. Each run takes /tmp/bench.lock
# itself (so other benchmark runs can slip in between, never overlap); do not wrap the script in
# flock as well (it would wait for itself), or set BENCH_LOCK= to skip the locking.
# Raw logs go to benchmarks/results/<UTC stamp>-yardsticks/ unless --out says otherwise.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repeats=3 connections=10000 rate=10 size=256 seconds=10 warmup=3
servers="hub raw netty node" out="" loops="" pin=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repeats) repeats="$2" ;;
    --connections) connections="$2" ;;
    --rate) rate="$2" ;;
    --size) size="$2" ;;
    --seconds) seconds="$2" ;;
    --warmup) warmup="$2" ;;
    --servers) servers="$2" ;;
    --server-loops) loops="$2" ;;
    --pin) pin=1; shift; continue ;;
    --out) out="$2" ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
out="${out:-$here/results/$(date -u +%Y%m%dT%H%MZ)-yardsticks}"
mkdir -p "$out"
lock="${BENCH_LOCK-/tmp/bench.lock}"
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [[ " $servers " == *" node "* && ! -d "$here/node/node_modules/ws" ]]; then
  (cd "$here/node" && if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi)
fi
jar="$(mktemp -d)/benchmarks.jar"   # a copy, so a rebuild during the run cannot pull it away
cp "$here/target/benchmarks.jar" "$jar"
trap 'rm -rf "$(dirname "$jar")"' EXIT
{
  date -u; uptime; nproc; grep -m1 'model name' /proc/cpuinfo || true
  java -version 2>&1 | head -2; echo "node $(node --version 2>/dev/null || echo missing)"
  echo "ws $(node -p 'require("'"$here"'/node/node_modules/ws/package.json").version' 2>/dev/null || echo missing)"
  git -C "$here" rev-parse HEAD 2>/dev/null || true
  echo "args: repeats=$repeats connections=$connections rate=$rate size=$size seconds=$seconds warmup=$warmup servers=$servers"
} > "$out/env.txt"
cat "$out/env.txt"

tck="$(getconf CLK_TCK)"
# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat; the command name
# in field 2 contains no spaces here).
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

server_command() {
  case "$1" in
    hub|raw|group|netty|netty-loop) echo "java ${SERVER_JVM:--Xmx2g} -cp $jar io.blockbuster.benchmarks.fanout.FanoutServer --mode $1${loops:+ --loops $loops}" ;;
    node) echo "node $here/node/fanout-ws.js" ;;
    node-scheduled) echo "node $here/node/fanout-ws.js --stamp scheduled" ;;
    *) echo "unknown server $1" >&2; exit 2 ;;
  esac
}

# One run: start the server, wait for READY, run the client, sample the server's CPU between the
# client's WINDOW START and WINDOW END markers, stop the server. Output: $out/<server>-<n>.txt
run_one() {
  local name="$1" n="$2" log="$out/$1-$2.txt" srvlog="$out/$1-$2.server.txt"
  : > "$srvlog"
  {
    echo "== $name run $n: $connections connections x $rate/s x $size B, ${seconds} s + ${warmup} s warmup"
    echo "load before        $(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$log"
  # The server starts paused and reads commands from a pipe: publishing starts once the client has
  # connected (as FanoutBenchmark does), so a busy broadcast does not slow down the connecting.
  local fifo
  fifo="$(mktemp -u /tmp/fanout-compare.XXXXXX)"
  mkfifo "$fifo"
  exec 3<>"$fifo"
  # shellcheck disable=SC2046
  ${pin:+taskset -c 0} $(server_command "$name") --port 0 --rate "$rate" --size "$size" --paused < "$fifo" > "$srvlog" 2>&1 &
  local sp=$! port=""
  for _ in $(seq 300); do
    port="$(awk '/^READY/ { print $2; exit }' "$srvlog")"
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    echo "server did not start" >> "$log"; kill "$sp" 2>/dev/null || true; wait "$sp" 2>/dev/null || true
    exec 3>&-; rm -f "$fifo"
    return
  fi
  local t0=0 c0=0
  ${pin:+taskset -c 1} java ${CLIENT_JVM:--Xmx4g} -cp "$jar" io.blockbuster.benchmarks.fanout.FanoutClient \
      --url "ws://127.0.0.1:$port/ws" --connections "$connections" --seconds "$seconds" --warmup "$warmup" 2>&1 |
    while IFS= read -r line; do
      case "$line" in
        connected*) echo "$line" >> "$log"; echo start >&3 ;;
        "WINDOW START") t0="$(date +%s%N)"; c0="$(ticks "$sp")" ;;
        "WINDOW END")
          t1="$(date +%s%N)"; c1="$(ticks "$sp")"
          awk -v c="$((c1 - c0))" -v hz="$tck" -v ns="$((t1 - t0))" -v rss="$(rss_mb "$sp")" \
            'BEGIN { printf "server cpu         %.2f cores (user+sys over %.1f s), rss %s MB\n", c / hz / (ns / 1e9), ns / 1e9, rss }' >> "$log" ;;
        *) echo "$line" >> "$log" ;;
      esac
    done
  echo "load after         $(cut -d' ' -f1-3 /proc/loadavg)" >> "$log"
  kill "$sp" 2>/dev/null || true
  wait "$sp" 2>/dev/null || true
  exec 3>&-
  rm -f "$fifo"
  cat "$log"
}

locked() {
  if [[ -n "$lock" ]]; then flock "$lock" "$@"; else "$@"; fi
}
export -f run_one server_command ticks rss_mb
export out jar connections rate size seconds warmup tck here loops pin

read -r -a order <<< "$servers"
for ((r = 1; r <= repeats; r++)); do
  for s in "${order[@]}"; do
    locked bash -c 'run_one "$0" "$1"' "$s" "$r"
    sleep 2   # let TIME_WAIT sockets and the previous process's memory go
  done
  order=("${order[@]:1}" "${order[0]}")   # rotate, so no server always runs first
done

# Summary: one row per run, then the median per server.
{
  echo
  printf '%-14s %-3s %8s %8s %8s %8s %7s %9s %7s %7s %5s %s\n' server run p50ms p99ms p99.9ms maxms lost arrived/s srvcpu clicpu publ "load before"
  for s in $servers; do
    for ((r = 1; r <= repeats; r++)); do
      f="$out/$s-$r.txt"
      [[ -f "$f" ]] || continue
      awk -v s="$s" -v r="$r" '
        /^load before/ { load = $3 " " $4 " " $5 }
        /^latency ms/ { p50 = $4; p99 = $6; p999 = $8; max = $10 }
        /^lost/ { lost = $2 }
        /^arrived/ { arrived = $7 }
        /^server cpu/ { srv = $3 }
        /^client cpu/ { cli = $3 }
        /^connections/ { opened = $2 }
        /^window/ { published = $7; gsub(/\(/, "", published) }
        END {
          if (published == "0") { p50 = p99 = p999 = max = "-" }   # nothing published in the window arrived
          if (p99 == "") { printf "%-14s %-3s no result (see %s-%s.txt)\n", s, r, s, r; exit }
          printf "%-14s %-3s %8s %8s %8s %8s %7s %9s %7s %7s %5s %s%s\n", s, r, p50, p99, p999, max, lost, arrived, srv, cli, published, load,
            (opened != "" && opened + 0 < 1) ? "  (no connection opened)" : ""
        }' "$f"
    done
  done
} | tee "$out/runs.txt"

median() { grep -v '^-$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
{
  echo
  echo "median of $repeats run(s): $connections connections x $rate/s x $size B"
  printf '%-14s %8s %8s %8s %8s %8s %8s %8s %8s %8s\n' server p50ms p99ms p99.9ms maxms lost arrived/s srvcpu clicpu published
  for s in $servers; do
    row="$(printf '%-14s' "$s")"
    for col in 3 4 5 6 7 8 9 10 11; do
      row+="$(printf ' %8s' "$(awk -v s="$s" -v c="$col" '$1 == s && NF >= 11 && $3 != "no" { print $c }' "$out/runs.txt" | median)")"
    done
    echo "$row"
  done
} | tee "$out/summary.txt"
echo "$out"
