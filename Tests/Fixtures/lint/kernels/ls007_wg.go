package main

import "sync"

func work() {}

// Leaks: Wait may return before the goroutines call Add.
func fanOut(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		go func() {
			wg.Add(1) // want "LS007"
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
}

// Fixed.
func fanOutFixed(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
}
