// Package gatebench is a small benchmark suite for `leakscope gate bench` tests and bench/gate-eval.py.
// Its cost can be raised on purpose: GATEBENCH_SLOWDOWN=0.10 makes every benchmark do 10 % more
// work per operation, and GATEBENCH_EXTRA_ALLOC=1 adds one allocation per operation to Join.
package gatebench

import (
	"os"
	"sort"
	"strconv"
	"strings"
)

// slowdown is the extra work, as a fraction of the normal work, read once from the environment.
var slowdown = func() float64 {
	v, err := strconv.ParseFloat(os.Getenv("GATEBENCH_SLOWDOWN"), 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}()

var extraAlloc = os.Getenv("GATEBENCH_EXTRA_ALLOC") == "1"

// rounds scales a number of work rounds by the slowdown.
func rounds(base int) int { return base + int(float64(base)*slowdown+0.5) }

// Mix runs n rounds of an FNV-style mixing loop over a 64-byte block.
func Mix(block *[64]byte, n int) uint64 {
	h := uint64(14695981039346656037)
	for r := 0; r < n; r++ {
		for _, b := range block {
			h ^= uint64(b)
			h *= 1099511628211
		}
		block[r&63] = byte(h)
	}
	return h
}

// SortInts sorts a copy of src, doing the extra work as additional mixing rounds.
func SortInts(dst, src []int) int {
	copy(dst, src)
	sort.Ints(dst)
	var block [64]byte
	return dst[len(dst)/2] + int(Mix(&block, rounds(40)-40))
}

// Join joins n words; with GATEBENCH_EXTRA_ALLOC=1 it allocates one more slice.
func Join(words []string) string {
	parts := make([]string, 0, len(words))
	parts = append(parts, words...)
	if extraAlloc {
		extra := make([]byte, 64)
		sink = extra
	}
	return strings.Join(parts, ",")
}

var sink []byte
