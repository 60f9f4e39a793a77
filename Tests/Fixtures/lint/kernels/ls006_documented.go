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

// Leaks: the comment hands over only the success path's lock; the error return still holds it.
//
// reserve locks the cache and, on success, the caller must unlock it.
func reserve(c *snapshotCache, key string) (int, bool) {
	c.mu.Lock() // want "LS006"
	v, ok := c.rows[key]
	if !ok {
		return 0, false
	}
	if v < 0 {
		c.mu.Unlock()
		return 0, false
	}
	return v, true
}

// Leaks: a comment that forbids the caller to unlock hands nothing over.
//
// peek read-locks the cache; callers must not unlock it themselves.
func peek(c *snapshotCache, key string, wait func()) int {
	c.mu.RLock() // want "LS006"
	if c.ready {
		return c.rows[key]
	}
	c.mu.RUnlock()
	wait()
	return 0
}

type statsCache struct {
	stats sync.Mutex
	hits  int
}

// Leaks: the caller's duty named here is another resource's, not this lock's.
//
// openLog returns the log file; the caller must close it to release its descriptor.
func openLog(s *statsCache, open func() error) error {
	s.stats.Lock() // want "LS006"
	if err := open(); err != nil {
		return err
	}
	s.hits++
	s.stats.Unlock()
	return nil
}
