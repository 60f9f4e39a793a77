package main

import (
	"fmt"
	"runtime"
	"time"
)

// watch waits for an update that never comes: every call leaks a goroutine.
func watch(updates chan int) {
	<-updates
}

//go:noinline
func subscribe() {
	go watch(make(chan int)) // goroutine leak site (goroutineheap.go:16)
}

// goroutineHeapMode leaks 2,000 goroutines per interval: their descriptors (runtime.malg) grow the heap.
func goroutineHeapMode(dir string) error {
	runtime.MemProfileRate = 1
	for snap := 1; snap <= 3; snap++ {
		if snap > 1 {
			for i := 0; i < 2000; i++ {
				subscribe()
			}
		}
		time.Sleep(100 * time.Millisecond)
		runtime.GC()
		if err := writeProfile("heap", dir, fmt.Sprintf("heap-%d.pb.gz", snap), 0); err != nil {
			return err
		}
	}
	return nil
}
