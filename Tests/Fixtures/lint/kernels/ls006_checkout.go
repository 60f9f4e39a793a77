package main

import (
	"errors"
	"sync"
)

var errCancelled = errors.New("cancelled")

// lifetime lets callers hold its read lock between TryCheckout and ReleaseCheckout, so that
// Cancel waits for every checkout to end.
type lifetime struct {
	mu        sync.RWMutex
	cancelled bool
}

// Fine: true hands the read lock to the caller, who must call ReleaseCheckout; false releases it.
func (l *lifetime) TryCheckout() bool {
	l.mu.RLock()
	if l.cancelled {
		l.mu.RUnlock()
		return false
	}
	return true
}

// ReleaseCheckout ends a checkout.
func (l *lifetime) ReleaseCheckout() { l.mu.RUnlock() }

// Leaks: false is returned with the read lock still held on the second check.
func (l *lifetime) TryCheckoutTwice(again func() bool) bool {
	l.mu.RLock() // want "LS006"
	if l.cancelled {
		l.mu.RUnlock()
		return false
	}
	if !again() {
		return false
	}
	return true
}

// Fine: the callback releases the read lock early and says so; otherwise it is released after
// the call. Every path releases it once.
func (l *lifetime) withCheckout(borrow func(func()) error, use func()) error {
	l.mu.RLock()
	if l.cancelled {
		l.mu.RUnlock()
		return errCancelled
	}
	unlocked := false
	err := borrow(func() {
		l.mu.RUnlock()
		unlocked = true
		use()
	})
	if !unlocked {
		l.mu.RUnlock()
	}
	return err
}

// Leaks: the flag is set before anything is released, so the error path returns holding it.
func (l *lifetime) withCheckoutEarly(borrow func(func()) error, use func()) error {
	l.mu.RLock() // want "LS006"
	if l.cancelled {
		l.mu.RUnlock()
		return errCancelled
	}
	unlocked := false
	err := borrow(func() {
		unlocked = true
		use()
	})
	if err != nil {
		return err
	}
	if !unlocked {
		l.mu.RUnlock()
	}
	return nil
}

type keySet struct {
	mu     sync.Mutex
	closed bool
	keys   map[string]bool
}

// Leaks: one `return true` hands nothing over; it forgets the unlock the other one does.
func (s *keySet) Add(k string) bool {
	s.mu.Lock() // want "LS006"
	if s.closed {
		s.mu.Unlock()
		return false
	}
	if s.keys[k] {
		return true
	}
	s.keys[k] = true
	s.mu.Unlock()
	return true
}

// Leaks: the flag is set once, before the loop's later turns take the lock again.
func (s *keySet) addAll(keys []string, fast func(string) bool) {
	unlocked := false
	for _, k := range keys {
		s.mu.Lock() // want "LS006"
		if fast(k) {
			s.mu.Unlock()
			unlocked = true
			continue
		}
		if k == "stop" {
			s.mu.Unlock()
			return
		}
		if !unlocked {
			s.mu.Unlock()
		}
		if k == "" {
			return
		}
	}
}

type blobCache struct {
	mu       sync.Mutex
	blobs    map[string][]byte
	reserved int
}

// Fine: `locked` says whether the lock is held. A hit drops it early (and takes it again only
// for a short section that drops a stale entry), a miss that reserves space takes it again only
// to reserve and drops it; the last `if` releases whatever is still held (bazel-remote's disk
// cache).
func (c *blobCache) lookup(key string, size int, reserve bool) ([]byte, bool) {
	locked := true
	var found bool
	c.mu.Lock()
	blob, hit := c.blobs[key]
	if hit {
		c.mu.Unlock()
		locked = false
		if len(blob) == size {
			return blob, true
		}
		c.mu.Lock()
		delete(c.blobs, key)
		c.mu.Unlock()
		found = true
	}
	if reserve && size > 0 {
		if !locked {
			c.mu.Lock()
		}
		c.reserved += size
		c.mu.Unlock()
		locked = false
	}
	if locked {
		c.mu.Unlock()
	}
	return nil, found
}

// Leaks: the flag is cleared before anything is released, so a hit returns holding the lock.
func (c *blobCache) lookupClearedEarly(key string) []byte {
	locked := true
	c.mu.Lock() // want "LS006"
	if key == "" {
		c.mu.Unlock()
		return nil
	}
	blob, hit := c.blobs[key]
	if hit {
		locked = false
		c.reserved++
	}
	if locked {
		c.mu.Unlock()
	}
	return blob
}

// Leaks: a hit takes the lock again to store the refreshed blob without setting the flag, and
// the last `if` then leaves it held.
func (c *blobCache) lookupRefreshed(key string, refresh func([]byte) []byte) []byte {
	locked := true
	c.mu.Lock() // want "LS006"
	blob, hit := c.blobs[key]
	if hit {
		c.mu.Unlock()
		locked = false
		blob = refresh(blob)
		c.mu.Lock()
		if blob == nil {
			c.mu.Unlock()
			return nil
		}
		c.blobs[key] = blob
	}
	if locked {
		c.mu.Unlock()
	}
	return blob
}

// Leaks: what is still held is checked first, and the check's error returns before the unlock in
// the last `if`.
func (c *blobCache) lookupChecked(key string, check func() error) []byte {
	locked := true
	c.mu.Lock() // want "LS006"
	if key == "" {
		c.mu.Unlock()
		return nil
	}
	blob, hit := c.blobs[key]
	if hit {
		c.mu.Unlock()
		locked = false
		blob = append(blob, 0)
	}
	if locked {
		if err := check(); err != nil {
			return nil
		}
		c.mu.Unlock()
	}
	return blob
}

// Leaks: the flag set next to the second lock is a new variable of the case, so the last `if`
// reads the outer one, still false, and returns holding the lock.
func (c *blobCache) lookupShadowed(key string, exclusive bool) []byte {
	var locked bool
	switch {
	case exclusive:
		c.mu.Lock() // want "LS006"
		locked := true
		if key == "" {
			c.mu.Unlock()
			return nil
		}
		_ = locked
	}
	if locked {
		c.mu.Unlock()
	}
	return c.blobs[key]
}

// Fine: the same flag declared without a value and set right after the lock.
func (c *blobCache) size(key string) int {
	var locked bool
	c.mu.Lock()
	locked = true
	if key == "" {
		c.mu.Unlock()
		return 0
	}
	blob, hit := c.blobs[key]
	if hit {
		c.mu.Unlock()
		locked = false
		blob = append(blob, 0)
	}
	if locked {
		c.mu.Unlock()
	}
	return len(blob)
}
