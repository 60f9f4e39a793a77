#!/usr/bin/env bash
# Coverage-guided fuzzing of leakscope's parsers with libFuzzer (swiftc -sanitize=fuzzer).
#
#   scripts/fuzz.sh short        every target for FUZZ_SECONDS (default 20) each: the CI run
#   scripts/fuzz.sh long         every target for FUZZ_SECONDS (default 600) each
#   scripts/fuzz.sh run TARGET   one target until stopped (or FUZZ_SECONDS)
#   scripts/fuzz.sh build        only build the fuzzers
#
# Targets (fuzz/*.swift): profile (profile.proto, gzip, legacy fallback, re-encode), legacy (the
# legacy text/binary parsers directly), goroutines (goroutine dumps, also split in two chunks),
# godebug (GODEBUG logs), manifest (capture manifest.json), trace (Go execution traces), gosource
# (Go scanner, parser and the lint checks over what parses).
# The modules are compiled with swiftc straight from Sources/ into .build-fuzz/ (SwiftPM's .build is
# left alone). Seeds are real files from examples/ and Tests/Fixtures/; each target's growing corpus
# is kept in .build-fuzz/corpus/TARGET. A crash, leak or timeout is saved under
# .build-fuzz/crashes/TARGET/ and the script exits 1: turn it into a regression test
# (Tests/LeakscopeHardeningTests/FuzzRegressionTests.swift) before fixing it.
# FUZZ_SANITIZE=fuzzer,address adds AddressSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-short}
out=.build-fuzz
sanitize=${FUZZ_SANITIZE:-fuzzer}
# LeakSanitizer counts Swift's lazily built static lets (about 800 bytes, once) as leaks: off by default.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
targets=(profile legacy goroutines godebug manifest)
modules=(LeakscopeBytes LeakscopeProfile LeakscopeGoroutines LeakscopeGodebug LeakscopeCapture)
# trace: Go execution traces (LeakscopeTrace's streaming reader); seeds are traces that
# Tests/Fixtures/go/trace writes when the seeds are gathered (leak, healthy and storm shapes).
targets+=(trace); modules+=(LeakscopeTrace)
# Go source front end and lint checks (issue 14).
targets+=(gosource); modules+=(LeakscopeFormat LeakscopeFindings LeakscopeGoSymbols LeakscopeGoSource LeakscopeLint)
objects=()
for module in "${modules[@]}"; do objects+=("$out/obj/$module.o"); done
mkdir -p "$out/obj" "$out/module-cache"
common=(-O -sanitize="$sanitize" -parse-as-library -package-name leakscope -I "$out/obj" -I Sources/CZlib
        -module-cache-path "$out/module-cache")

build() {
    local stamp="$out/obj/.stamp-$sanitize"
    if [[ ! -f $stamp ]] || [[ -n $(find "${modules[@]/#/Sources/}" fuzz -newer "$stamp" -name '*.swift' | head -n 1) ]]; then
        for module in "${modules[@]}"; do
            echo "== fuzz: compiling $module"
            swiftc "${common[@]}" -c -wmo -module-name "$module" -emit-module \
                -emit-module-path "$out/obj/$module.swiftmodule" -o "$out/obj/$module.o" \
                $(find "Sources/$module" -name '*.swift' | sort)
        done
        for target in "${targets[@]}"; do
            local extra=()
            [[ $target == profile ]] && extra=(fuzz/limits.swift)
            echo "== fuzz: linking fuzz-$target"
            swiftc "${common[@]}" -module-name "Fuzz_$target" "fuzz/$target.swift" "${extra[@]}" \
                "${objects[@]}" -lz -o "$out/fuzz-$target" 2>&1 | grep -v '^$' || true
            [[ -x $out/fuzz-$target ]] || { echo "fuzz: linking fuzz-$target failed"; exit 2; }
        done
        touch "$stamp"
    fi
}

seeds() {
    local target=$1 dir="$out/seeds/$target"
    rm -rf "$dir"; mkdir -p "$dir"
    local files=()
    case $target in
        profile) mapfile -t files < <(find examples Tests/Fixtures/google-pprof -type f \( -name '*.pb.gz' -o -name '*.cpu' \
                    -o -name '*.heap' -o -name '*.contention' -o -name '*.thread' -o -name '*.growth' \) -size -512k) ;;
        legacy) mapfile -t files < <(find Tests/Fixtures/google-pprof -type f ! -name '*.string' ! -name '*.go' \
                    ! -name LICENSE ! -name '*.md' -size -512k) ;;
        goroutines) mapfile -t files < <(find examples -type f -name 'goroutine*.txt' -size -512k) ;;
        godebug) mapfile -t files < <(find Tests/Fixtures/logs -type f -size -512k) ;;
        manifest) mapfile -t files < <(find examples -name manifest.json) ;;
        trace) rm -rf "$out/trace-seeds"; mkdir -p "$out/trace-seeds"
               GOTOOLCHAIN=local GOPROXY=off go -C Tests/Fixtures/go/trace build -o "$PWD/$out/tracegen" .
               for shape in leak healthy storm; do "$out/tracegen" -out "$out/trace-seeds" -shape $shape -duration 150ms; done
               mapfile -t files < <(find "$out/trace-seeds" -name '*.trace' -size -256k) ;;
        gosource) mapfile -t files < <(find Tests/Fixtures -type f -name '*.go' -size -64k) ;;
    esac
    local i=0
    for file in "${files[@]}"; do cp "$file" "$dir/seed-$i"; i=$((i + 1)); done
}

run() {
    local target=$1 seconds=$2
    seeds "$target"
    mkdir -p "$out/corpus/$target" "$out/crashes/$target"
    echo "== fuzz: $target for ${seconds}s"
    local status=0
    "$out/fuzz-$target" "$out/corpus/$target" "$out/seeds/$target" -max_total_time="$seconds" -max_len=262144 \
        -rss_limit_mb=3072 -timeout=20 -artifact_prefix="$out/crashes/$target/" -print_final_stats=1 \
        > "$out/$target.log" 2>&1 || status=$?
    grep -E '^stat::number_of_executed_runs|^stat::peak_rss_mb|^#[0-9]+.*DONE' "$out/$target.log" | tr '\n' ' '; echo
    if [[ $status -ne 0 ]]; then
        echo "fuzz: $target FAILED (exit $status); the input is in $out/crashes/$target/:"
        ls "$out/crashes/$target/"
        grep -m 5 -E 'ERROR|Fatal error|SUMMARY|panic|deadly signal' "$out/$target.log" || tail -n 30 "$out/$target.log"
        return 1
    fi
}

build
case $mode in
    build) exit 0 ;;
    short|long)
        seconds=${FUZZ_SECONDS:-$([[ $mode == short ]] && echo 20 || echo 600)}
        failed=0
        for target in "${targets[@]}"; do run "$target" "$seconds" || failed=1; done
        exit $failed ;;
    run) run "${2:?target}" "${FUZZ_SECONDS:-86400}" ;;
    *) echo "usage: $0 short|long|build|run TARGET" >&2; exit 2 ;;
esac
