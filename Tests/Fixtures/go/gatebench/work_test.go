package gatebench

import (
	"strconv"
	"testing"
)

var result uint64

func BenchmarkMix(b *testing.B) {
	var block [64]byte
	n := rounds(200)
	for i := 0; i < b.N; i++ {
		result += Mix(&block, n)
	}
}

func BenchmarkSort(b *testing.B) {
	src := make([]int, 512)
	for i := range src {
		src[i] = (i * 7919) % 1021
	}
	dst := make([]int, len(src))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		result += uint64(SortInts(dst, src))
	}
}

func BenchmarkJoin(b *testing.B) {
	words := make([]string, 32)
	for i := range words {
		words[i] = "word" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s := Join(words)
		result += uint64(len(s))
	}
}

func BenchmarkMixSizes(b *testing.B) {
	for _, n := range []int{50, 400} {
		b.Run("rounds="+strconv.Itoa(n), func(b *testing.B) {
			var block [64]byte
			r := rounds(n)
			b.SetBytes(64)
			for i := 0; i < b.N; i++ {
				result += Mix(&block, r)
			}
		})
	}
}
