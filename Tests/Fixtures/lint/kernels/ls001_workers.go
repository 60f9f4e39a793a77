package main

import (
	"context"
	"errors"
	"sync"
)

// Leaks: the workers take every job, but the caller gives up on ctx.Done() and the worker
// holding a result blocks on its send (the feeder behind it is not reported: its receivers are
// the workers, and they block only because of this send).
func squareAll(ctx context.Context, jobs []int) ([]int, error) {
	queue := make(chan int)
	go func() {
		for _, j := range jobs {
			queue <- j
		}
		close(queue)
	}()
	results := make(chan int)
	go func() {
		for j := range queue {
			results <- j * j // want "LS001"
		}
	}()
	out := make([]int, 0, len(jobs))
	for range jobs {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// Silent: two workers range over the queue until the feeder closes it, and the caller takes one
// answer per job before it returns; the feeder's sends all have a receiver.
func checkAll(jobs []int) error {
	queue := make(chan int)
	go func() {
		for _, j := range jobs {
			queue <- j
		}
		close(queue)
	}()
	answers := make(chan error)
	for i := 0; i < 2; i++ {
		go func() {
			for j := range queue {
				var err error
				if j < 0 {
					err = errors.New("negative job")
				}
				answers <- err
			}
		}()
	}
	var first error
	for range jobs {
		if err := <-answers; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Leaks: the worker stops taking jobs at the first negative one, and the caller returns early,
// so the feeder's next send has no receiver.
func firstNegative(ctx context.Context, jobs []int) error {
	queue := make(chan int)
	go func() {
		for _, j := range jobs {
			queue <- j // want "LS001"
		}
		close(queue)
	}()
	found := make(chan int, 1)
	go func() {
		for j := range queue {
			if j < 0 {
				found <- j
				return
			}
		}
	}()
	select {
	case <-found:
		return errors.New("negative job")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Silent: the feeder starts the workers itself; they take jobs until it closes the queue, so its
// sends all have a receiver whatever the caller does with the results (policy-engine's
// evaluation pool, docs/LINT.md session 34).
func cubeAll(jobs []int) []int {
	queue := make(chan int)
	results := make(chan int)
	go func() {
		var wg sync.WaitGroup
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					j, ok := <-queue
					if !ok {
						return
					}
					results <- j * j * j
				}
			}()
		}
		for _, j := range jobs {
			queue <- j
		}
		close(queue)
		wg.Wait()
		close(results)
	}()
	var out []int
	for r := range results {
		out = append(out, r)
	}
	return out
}

// Leaks: the feeder's workers stop at the first negative job, and its next send has no receiver.
func cubeUntilNegative(jobs []int) []int {
	queue := make(chan int)
	results := make(chan int)
	go func() {
		var wg sync.WaitGroup
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range queue {
					if j < 0 {
						return
					}
					results <- j * j * j
				}
			}()
		}
		for _, j := range jobs {
			queue <- j // want "LS001"
		}
		close(queue)
		wg.Wait()
		close(results)
	}()
	var out []int
	for r := range results {
		out = append(out, r)
	}
	return out
}

// Leaks: the feeder starts its workers only when asked to, and sends either way.
func cubeAllIfPooled(jobs []int, pooled bool) []int {
	queue := make(chan int)
	results := make(chan int)
	go func() {
		var wg sync.WaitGroup
		if pooled {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range queue {
					results <- j * j * j
				}
			}()
		}
		for _, j := range jobs {
			queue <- j // want "LS001"
		}
		close(queue)
		wg.Wait()
		close(results)
	}()
	var out []int
	for r := range results {
		out = append(out, r)
	}
	return out
}
