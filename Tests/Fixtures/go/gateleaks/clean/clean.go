// Package clean runs goroutines that all finish.
package clean

import "sync"

// Squares computes squares concurrently and waits for every goroutine.
func Squares(n int) []int {
	out := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out[i] = i * i
		}(i)
	}
	wg.Wait()
	return out
}
