// Package resolver answers name lookups slowly, and leaks the way a timeout-guarded call often
// does: the caller stops waiting, the worker's send never completes.
package resolver

import (
	"errors"
	"time"
)

// ErrTimeout is returned when the answer does not come in time.
var ErrTimeout = errors.New("resolver: timeout")

// Resolver looks names up, each lookup taking `delay`.
type Resolver struct {
	delay time.Duration
}

// New returns a resolver whose lookups take delay.
func New(delay time.Duration) *Resolver { return &Resolver{delay: delay} }

//go:noinline
func (r *Resolver) resolve(name string) string {
	time.Sleep(r.delay)
	return name + ".internal"
}

// Lookup waits at most timeout. On a timeout nobody receives from ch, so the worker blocks on
// its send forever.
func (r *Resolver) Lookup(name string, timeout time.Duration) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- r.resolve(name)
	}()
	select {
	case answer := <-ch:
		return answer, nil
	case <-time.After(timeout):
		return "", ErrTimeout
	}
}

// Prefetch warms the cache for names; the service never calls it, so its leak is static only.
func (r *Resolver) Prefetch(names []string, timeout time.Duration) int {
	warmed := 0
	for _, name := range names {
		done := make(chan string)
		go func(name string) {
			done <- r.resolve(name)
		}(name)
		select {
		case <-done:
			warmed++
		case <-time.After(timeout):
			return warmed
		}
	}
	return warmed
}
