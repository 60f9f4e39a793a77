package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Store guards everything with one lock and does slow work while holding it.
type Store struct {
	mu    sync.Mutex
	items map[int]int
}

var store = &Store{items: map[int]int{}}

// Update holds the lock across a slow computation: the holder site.
func (s *Store) Update(k int) {
	s.mu.Lock() // waiter site (contention.go:20)
	s.items[k] = slowHash(k)
	s.mu.Unlock() // holder site (contention.go:22)
}

func slowHash(k int) int {
	h := k
	for i := 0; i < 20000; i++ {
		h = h*31 + i
	}
	return h
}

// idleWorker waits for jobs that rarely come, like a healthy worker pool.
func idleWorker(jobs <-chan int, done *sync.WaitGroup) {
	defer done.Done()
	for j := range jobs { // idle wait site (contention.go:36)
		valid += j
	}
}

func contentionMode(dir string, contended bool) error {
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)
	write := func(snap int) error {
		for _, name := range []string{"mutex", "block"} {
			if err := writeProfile(name, dir, fmt.Sprintf("%s-%d.pb.gz", name, snap), 0); err != nil {
				return err
			}
		}
		return nil
	}
	if err := write(1); err != nil {
		return err
	}
	until := time.Now().Add(time.Second)
	var wg sync.WaitGroup
	if contended {
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for k := w; time.Now().Before(until); k += 8 {
					store.Update(k)
				}
			}(w)
		}
	} else {
		jobs := make(chan int)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go idleWorker(jobs, &wg)
		}
		for time.Now().Before(until) {
			jobs <- 1
			time.Sleep(50 * time.Millisecond)
		}
		close(jobs)
	}
	wg.Wait()
	return write(2)
}
