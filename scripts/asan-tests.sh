#!/usr/bin/env bash
# Builds leakscope and its tests with AddressSanitizer into .build-asan/ and runs the test suite
# (or the filter given) under it. ASan reports (heap overflow, use after free) fail the run.
#
#   scripts/asan-tests.sh                        # every test
#   scripts/asan-tests.sh LeakscopeHardeningTests
#
# Record the outcome in docs/HARDENING.md ("AddressSanitizer"). Valgrind is not used: it crashes
# on Swift 6.3 binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
swift build --build-tests --build-path .build-asan -Xswiftc -sanitize=address 2>&1 | tail -n 5
test "${PIPESTATUS[0]}" -eq 0
filter=()
[[ $# -gt 0 ]] && filter=(--filter "$1")
LEAKSCOPE_BIN="$PWD/.build-asan/debug/leakscope" swift test --skip-build --build-path .build-asan "${filter[@]}" 2>&1 \
    | tee /tmp/leakscope-asan.log | grep -E '^✘|ERROR: AddressSanitizer|SUMMARY|Test run with' | head -n 50
exit "${PIPESTATUS[0]}"
