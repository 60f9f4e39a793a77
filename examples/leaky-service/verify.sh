#!/usr/bin/env bash
# verify.sh — runs leakyservice in each fault mode under the load driver and checks, with curl
# and `go tool pprof`, that every fault shows up where the README says and that the healthy
# mode stays flat. Exits 1 if any check fails, 2 on a setup problem.
#
#   ./verify.sh                      # every mode: none and the nine faults (about 2.5 minutes)
#   ./verify.sh chan-send contention # only these modes
#
# Environment: GO (toolchain that builds the service, default `go`), PPROF_GO (toolchain whose
# `go tool pprof` reads the profiles, default `go`), RPS (default 100), SETTLE (seconds of load
# before the first snapshot, default 4), WINDOW (seconds between snapshots, default 8),
# KEEP=1 keeps the work directory with every profile fetched.
set -u
export GOTOOLCHAIN=local GOPROXY=off
GO=${GO:-go}
PPROF_GO=${PPROF_GO:-go}
RPS=${RPS:-100}
SETTLE=${SETTLE:-4}
WINDOW=${WINDOW:-8}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/leaky-verify.XXXXXX")
service_pid=""
load_pid=""
failures=0

cleanup() {
	[ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null
	[ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null
	wait 2>/dev/null
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

say() { printf '%s\n' "$*"; }
pass() { say "  ok    $*"; }
fail() { say "  FAIL  $*"; failures=$((failures + 1)); }

# Distinctive binary names: a process-name based clean-up elsewhere on a shared machine
# (pkill loadgen …) must not stop this run's driver.
(cd "$here" && "$GO" build -o "$work/leaky-verify-service" . && "$GO" build -o "$work/leaky-verify-load" ./loadgen) || {
	say "verify: build failed"
	exit 2
}
say "service built with $("$GO" version | cut -d' ' -f3); profiles read by $("$PPROF_GO" version | cut -d' ' -f3) pprof"

# start_mode FAULTS: starts the service and the load driver, sets $url.
start_mode() {
	"$work/leaky-verify-service" -addr 127.0.0.1:0 -faults "$1" -stats-interval 0 >"$work/$1.stdout" 2>"$work/$1.stderr" &
	service_pid=$!
	url=""
	for _ in $(seq 1 50); do
		url=$(sed -n '1s/^listening on //p' "$work/$1.stdout" 2>/dev/null)
		[ -n "$url" ] && break
		sleep 0.1
	done
	if [ -z "$url" ]; then
		say "verify: service did not print its listening line"
		cat "$work/$1.stderr"
		exit 2
	fi
	"$work/leaky-verify-load" -target "$url" -rps "$RPS" -duration 0 >"$work/$1.load" 2>&1 &
	load_pid=$!
}

stop_mode() {
	if ! kill -0 "$load_pid" 2>/dev/null; then
		fail "load driver ended before the checks did (killed from outside?): $(cat "$work/$1.load")"
	fi
	kill -TERM "$load_pid" 2>/dev/null
	wait "$load_pid" 2>/dev/null
	load_pid=""
	say "  load  $(tail -n 1 "$work/$1.load")"
	kill "$service_pid" 2>/dev/null
	wait "$service_pid" 2>/dev/null
	service_pid=""
}

# goroutine_total: the live goroutine count from the debug=1 goroutine profile.
goroutine_total() { curl -sf "$url/debug/pprof/goroutine?debug=1" | sed -n '1s/^goroutine profile: total //p'; }

# heap_alloc: HeapAlloc right after a forced GC (exact, not sampled), in bytes.
heap_alloc() { curl -sf "$url/debug/pprof/heap?gc=1&debug=1" | sed -n 's/^# HeapAlloc = //p'; }

# cum FUNCTION PPROF_ARGS…: the cum value `go tool pprof -top -cum` prints for FUNCTION (0 if absent).
cum() {
	local fn=$1
	shift
	"$PPROF_GO" tool pprof -top -cum -nodecount=100000 "$@" 2>/dev/null |
		awk -v fn="$fn" '$6 == fn { v = $4; sub(/[a-zA-Z]+$/, "", v); print v; found = 1; exit } END { if (!found) print 0 }'
}

# site FUNCTION PPROF_ARGS…: "file.go:LINE" of FUNCTION's largest cum line in `-lines -top -cum`.
site() {
	local fn=$1
	shift
	"$PPROF_GO" tool pprof -lines -top -cum -nodecount=100000 "$@" 2>/dev/null |
		awk -v fn="$fn" '$6 == fn { n = split($7, parts, "/"); print parts[n]; exit }'
}

# check_site FUNCTION WANT PPROF_ARGS…: the growth sits at WANT (file.go:LINE), as the README says.
check_site() {
	local fn=$1 want=$2 got
	shift 2
	got=$(site "$fn" "$@")
	if [ "$got" = "$want" ]; then pass "pprof -lines: $fn at $got"; else fail "pprof -lines: $fn at '$got', README says $want"; fi
}

# total PPROF_ARGS…: the profile total from the "of N total" header.
total() {
	"$PPROF_GO" tool pprof -top "$@" 2>/dev/null | sed -n 's/.* of \([-0-9.]*\)[a-zA-Z]* total.*/\1/p' | head -1
}

ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

# snapshot NAME: saves goroutine, heap (after GC) and goroutineleak profiles.
snapshot() {
	curl -sf "$url/debug/pprof/goroutine" >"$work/$1.goroutine.pb.gz"
	curl -sf "$url/debug/pprof/heap?gc=1" >"$work/$1.heap.pb.gz"
}

# leak_profile: prints "total N" and the main.* functions of the goroutineleak profile, or
# "absent" when the runtime has none (Go < 1.26).
leak_profile() {
	local code
	code=$(curl -s -o "$work/leak.txt" -w '%{http_code}' "$url/debug/pprof/goroutineleak?debug=1")
	if [ "$code" != 200 ]; then
		echo absent
		return
	fi
	echo "$(sed -n '1s/^goroutineleak profile: //p' "$work/leak.txt") in: $(grep -o 'main\.[^ 	+]*' "$work/leak.txt" | sort -u | tr '\n' ' ')"
}

check_goroutine_fault() { # MODE FUNCTION MIN_PER_SECOND_IN_FUNCTION [FILE:LINE]
	local mode=$1 fn=$2 min=$3 line=${4:-} g1 g2 rate grown
	start_mode "$mode"
	sleep "$SETTLE"
	g1=$(goroutine_total)
	snapshot "$mode-1"
	sleep "$WINDOW"
	g2=$(goroutine_total)
	snapshot "$mode-2"
	rate=$(awk -v a="$g1" -v b="$g2" -v t="$WINDOW" 'BEGIN { printf "%.1f", (b - a) / t }')
	if ge "$rate" 20; then pass "goroutines $g1 -> $g2 in ${WINDOW}s: +$rate/s"; else fail "goroutines $g1 -> $g2 in ${WINDOW}s: +$rate/s (want >= 20/s)"; fi
	grown=$(cum "$fn" -base "$work/$mode-1.goroutine.pb.gz" "$work/$mode-2.goroutine.pb.gz")
	if ge "$grown" $((min * WINDOW)); then
		pass "pprof -top -cum -base: +$grown goroutines in $fn"
	else
		fail "pprof -top -cum -base: +$grown goroutines in $fn (want >= $((min * WINDOW)))"
	fi
	[ -n "$line" ] && check_site "$fn" "$line" -base "$work/$mode-1.goroutine.pb.gz" "$work/$mode-2.goroutine.pb.gz"
	local leak
	leak=$(leak_profile)
	if [ "$leak" = absent ]; then
		say "  note  no goroutineleak profile on this runtime"
	elif [ "$mode" = chan-send ]; then
		case "$leak" in
		"total 0"*) fail "goroutineleak: $leak (want the chan-send goroutines)" ;;
		*"main.queryInventory"*) pass "goroutineleak: $leak" ;;
		*) fail "goroutineleak: $leak (want main.queryInventory)" ;;
		esac
	else
		case "$leak" in
		"total 0"*) pass "goroutineleak: total 0 (cannot see this shape)" ;;
		*) fail "goroutineleak: $leak (want total 0)" ;;
		esac
	fi
	stop_mode "$mode"
}

check_heap_fault() { # MODE FUNCTION MIN_MB_PER_10S FILE:LINE
	local mode=$1 fn=$2 min=$3 line=$4 a1 a2 grown want
	start_mode "$mode"
	sleep "$SETTLE"
	a1=$(heap_alloc)
	snapshot "$mode-1"
	sleep "$WINDOW"
	a2=$(heap_alloc)
	snapshot "$mode-2"
	say "  info  HeapAlloc after GC $((a1 >> 10)) KiB -> $((a2 >> 10)) KiB in ${WINDOW}s"
	grown=$(cum "$fn" -sample_index=inuse_space -unit=MB -base "$work/$mode-1.heap.pb.gz" "$work/$mode-2.heap.pb.gz")
	want=$(awk -v t="$WINDOW" -v m="$min" 'BEGIN { print m * t / 10 }')
	if ge "$grown" "$want"; then
		pass "pprof -sample_index=inuse_space -base: +${grown} MB in $fn over ${WINDOW}s"
	else
		fail "pprof -sample_index=inuse_space -base: +${grown} MB in $fn over ${WINDOW}s (want >= $want MB)"
	fi
	check_site "$fn" "$line" -sample_index=inuse_space -base "$work/$mode-1.heap.pb.gz" "$work/$mode-2.heap.pb.gz"
	stop_mode "$mode"
}

check_cpu_fault() { # MODE FUNCTION
	local mode=$1 fn=$2 share all
	start_mode "$mode"
	sleep "$SETTLE"
	curl -sf "$url/debug/pprof/profile?seconds=5" >"$work/$mode.cpu.pb.gz"
	share=$("$PPROF_GO" tool pprof -top -cum -nodecount=100000 "$work/$mode.cpu.pb.gz" 2>/dev/null |
		awk -v fn="$fn" '$6 == fn { v = $5; sub(/%$/, "", v); print v; found = 1; exit } END { if (!found) print 0 }')
	all=$("$PPROF_GO" tool pprof -top "$work/$mode.cpu.pb.gz" 2>/dev/null | sed -n 's/.*Total samples = \([^ ]*\) (\(.*\)).*/\1 (\2 of one core)/p')
	if ge "$share" 40; then pass "pprof -top -cum: $fn has $share% of CPU samples; total $all"; else fail "pprof -top -cum: $fn has $share% of CPU samples (want >= 40%); total $all"; fi
	check_site "$fn" search.go:52 "$work/$mode.cpu.pb.gz"
	stop_mode "$mode"
}

check_contention_fault() { # MODE FUNCTION
	local mode=$1 fn=$2 delay all blocked
	start_mode "$mode"
	sleep "$SETTLE"
	curl -sf "$url/debug/pprof/mutex" >"$work/$mode.mutex.pb.gz"
	sleep "$WINDOW"
	curl -sf "$url/debug/pprof/mutex" >"$work/$mode.mutex2.pb.gz"
	curl -sf "$url/debug/pprof/block" >"$work/$mode.block.pb.gz"
	delay=$(cum "$fn" -unit=ms -base "$work/$mode.mutex.pb.gz" "$work/$mode.mutex2.pb.gz")
	all=$(total -unit=ms -base "$work/$mode.mutex.pb.gz" "$work/$mode.mutex2.pb.gz")
	if ge "$delay" $((100 * WINDOW)) && ge "$delay" "$(awk -v a="$all" 'BEGIN { print a * 0.8 }')"; then
		pass "mutex profile: ${delay} ms of ${all} ms contention delay in $fn over ${WINDOW}s"
	else
		fail "mutex profile: ${delay} ms of ${all} ms contention delay in $fn over ${WINDOW}s (want >= $((100 * WINDOW)) ms and >= 80%)"
	fi
	check_site "$fn" checkout.go:63 -base "$work/$mode.mutex.pb.gz" "$work/$mode.mutex2.pb.gz"
	blocked=$(cum "$fn" -unit=ms "$work/$mode.block.pb.gz")
	if ge "$blocked" 500; then pass "block profile: ${blocked} ms blocked in $fn"; else fail "block profile: ${blocked} ms blocked in $fn (want >= 500 ms)"; fi
	stop_mode "$mode"
}

check_healthy() {
	local mode=none g1 g2 a1 a2 leak t1 t2
	start_mode "$mode"
	sleep $((SETTLE + 4)) # let the bounded caches fill
	g1=$(goroutine_total)
	a1=$(heap_alloc)
	snapshot "$mode-1"
	sleep "$WINDOW"
	g2=$(goroutine_total)
	a2=$(heap_alloc)
	snapshot "$mode-2"
	if [ $((g2 - g1)) -le 15 ] && [ "$g2" -le 100 ]; then pass "goroutines flat: $g1 -> $g2"; else fail "goroutines grew: $g1 -> $g2"; fi
	if [ $((a2 - a1)) -le $((1 << 20)) ]; then
		pass "HeapAlloc after GC flat: $((a1 >> 10)) KiB -> $((a2 >> 10)) KiB"
	else
		fail "HeapAlloc after GC grew: $((a1 >> 10)) KiB -> $((a2 >> 10)) KiB"
	fi
	t1=$(total -sample_index=inuse_space -unit=MB "$work/$mode-1.heap.pb.gz")
	t2=$(total -sample_index=inuse_space -unit=MB "$work/$mode-2.heap.pb.gz")
	say "  info  sampled inuse_space ${t1} MB -> ${t2} MB"
	leak=$(leak_profile)
	case "$leak" in
	absent) say "  note  no goroutineleak profile on this runtime" ;;
	"total 0"*) pass "goroutineleak: total 0" ;;
	*) fail "goroutineleak: $leak (want total 0)" ;;
	esac
	stop_mode "$mode"
}

modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(none chan-send select-no-ctx global-chan lock-held body-leak heap-cache heap-slice cpu-regexp contention)
for mode in "${modes[@]}"; do
	say "== $mode"
	case "$mode" in
	none) check_healthy ;;
	chan-send) check_goroutine_fault "$mode" main.queryInventory 20 inventory.go:47 ;;
	select-no-ctx) check_goroutine_fault "$mode" main.watchTopic 20 watch.go:100 ;;
	global-chan) check_goroutine_fault "$mode" main.deliverNotifications 20 notify.go:84 ;;
	lock-held) check_goroutine_fault "$mode" 'main.(*ledger).post' 20 ledger.go:70 ;;
	body-leak)
		# two transport goroutines per unclosed body (+1 server connection until IdleTimeout)
		check_goroutine_fault "$mode" 'net/http.(*persistConn).readLoop' 7
		check_heap_fault "$mode" main.fetchUpstreamPrice 1 quote.go:32
		;;
	heap-cache) check_heap_fault "$mode" 'main.(*reportCache).store' 1 report.go:54 ;;
	heap-slice) check_heap_fault "$mode" main.appendAudit 1 audit.go:51 ;;
	cpu-regexp) check_cpu_fault "$mode" main.normalizeSKU ;;
	contention) check_contention_fault "$mode" 'main.(*priceBook).price' ;;
	*)
		say "verify: unknown mode $mode"
		exit 2
		;;
	esac
done
if [ "$failures" -gt 0 ]; then
	say "verify: $failures check(s) failed"
	exit 1
fi
say "verify: all checks passed"
