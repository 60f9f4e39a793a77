#!/usr/bin/env bash
# Re-makes the committed captures of examples/leaky-service: builds the service (with -trimpath, so
# file names in the profiles are module-relative, not this machine's paths), runs it under load with
# GODEBUG=gctrace=1, captures it with `leakscope capture`, and saves the service's GODEBUG log beside
# the capture as gc.log.
#
#   examples/captures/make.sh                       # shop-leaks and shop-healthy
#   LEAKSCOPE=.build/release/leakscope examples/captures/make.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
leakscope=${LEAKSCOPE:-$root/.build/debug/leakscope}
[ -x "$leakscope" ] || swift build --product leakscope
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
(cd examples/leaky-service && go build -trimpath -o "$work/leaky-service" . && go build -trimpath -o "$work/loadgen" ./loadgen)

capture() { # name faults
  local name=$1 faults=$2 out=$root/examples/captures/$1
  rm -rf "$out"
  GODEBUG=gctrace=1 "$work/leaky-service" -addr 127.0.0.1:0 -faults "$faults" -stats-interval 0 \
    >"$work/$name.addr" 2>"$work/$name.log" &
  local service=$!
  for _ in $(seq 50); do grep -q listening "$work/$name.addr" 2>/dev/null && break; sleep 0.1; done
  local url; url=$(sed -n 's/^listening on //p' "$work/$name.addr")
  "$work/loadgen" -target "$url" -rps 150 -duration 120s -concurrency 16 >/dev/null 2>&1 &
  local load=$!
  sleep 5   # bounded caches fill, pools start
  "$leakscope" capture "$url" --snapshots 3 --interval 10s --cpu-seconds 10 --out "$out" --quiet
  kill "$load" "$service"; wait "$load" "$service" 2>/dev/null || true
  cp "$work/$name.log" "$out/gc.log"
  echo "$name: $(du -sh "$out" | cut -f1)"
}
capture shop-leaks chan-send,global-chan,heap-cache,cpu-regexp
capture shop-healthy none
