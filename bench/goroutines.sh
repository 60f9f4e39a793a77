#!/usr/bin/env bash
# Parse + group a large goroutine dump; compare with `grep -c '^goroutine '` on the same file.
#
#   bench/goroutines.sh [N]     (N goroutines, default 200000; the dump is cached in $BENCH_DIR)
#
# Prints MB/s and peak RSS (from /usr/bin/time -v) for leakscope's parser and for grep.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
BENCH_DIR="${BENCH_DIR:-/tmp/leakscope-bench}"
DUMP="$BENCH_DIR/goroutines-$N.txt"
mkdir -p "$BENCH_DIR"
export GOTOOLCHAIN=local GOPROXY=off

if [ ! -s "$DUMP" ]; then
    echo "generating $DUMP ($N goroutines)…"
    (cd bench/goroutines && go run . -n "$N" -o "$DUMP")
fi

swift build -c release --target LeakscopeGoroutines >/dev/null
REL=.build/release
swiftc -O -wmo bench/goroutines/driver.swift -I "$REL/Modules" -I Sources/CZlib \
    "$REL"/LeakscopeGoroutines.build/*.o "$REL"/LeakscopeBytes.build/*.o "$REL"/LeakscopeProfile.build/*.o -lz \
    -o "$BENCH_DIR/driver"

SIZE=$(stat -c %s "$DUMP")
MB=$(awk -v s="$SIZE" 'BEGIN { printf "%.1f", s / 1e6 }')
echo "file: $DUMP, $MB MB, $(grep -c '^goroutine ' "$DUMP") goroutine headers"

measure() {  # label, command...: best of 5 runs by wall clock, with that run's CPU time and peak RSS
    local label=$1; shift
    local best="" cpu="" rss=""
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f "%e %U %S %M" -o "$BENCH_DIR/time.txt" "$@" >"$BENCH_DIR/out.txt"
        read -r secs user sys kb <"$BENCH_DIR/time.txt"
        if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$secs; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }'); rss=$kb
        fi
    done
    printf "%-24s wall %5.2f s (%4.0f MB/s)  cpu %5.2f s (%4.0f MB/s)  peak RSS %6.1f MB = %.2fx file\n" "$label" \
        "$best" "$(awk -v s="$SIZE" -v t="$best" 'BEGIN { print (t > 0 ? s / 1e6 / t : 0) }')" \
        "$cpu" "$(awk -v s="$SIZE" -v t="$cpu" 'BEGIN { print (t > 0 ? s / 1e6 / t : 0) }')" \
        "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(awk -v k="$rss" -v s="$SIZE" 'BEGIN { print k * 1024 / s }')"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall times suffer from other jobs; cpu does less)"
cat "$DUMP" >/dev/null  # warm the page cache
measure "grep -c '^goroutine '" grep -c '^goroutine ' "$DUMP"
measure "leakscope parse+group" "$BENCH_DIR/driver" "$DUMP"
cat "$BENCH_DIR/out.txt"
