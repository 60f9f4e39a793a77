package main

import (
	"sync"
	"time"
)

type snapshotCache struct {
	mu    sync.RWMutex
	ready bool
	rows  map[string]int
}

// Fine: the lock is handed to the caller by design, and the doc comment says so (libovsdb's
// cache wait): callers in other packages release it.
//
// lockWhenReady read-locks the cache before returning; the caller must always unlock it.
func lockWhenReady(c *snapshotCache, done <-chan struct{}, tick <-chan time.Time) {
	c.mu.RLock()
	if c.ready {
		return
	}
	c.mu.RUnlock()
	for {
		select {
		case <-done:
			c.mu.RLock()
			return
		case <-tick:
			c.mu.RLock()
			if c.ready {
				return
			}
			c.mu.RUnlock()
		}
	}
}

// Leaks: the same shape with nothing saying the caller owns the lock, and no caller seen that
// releases it.
func lookupWhenReady(c *snapshotCache, key string, wait func()) int {
	c.mu.RLock() // want "LS006"
	if c.ready {
		return c.rows[key]
	}
	c.mu.RUnlock()
	wait()
	return 0
}
