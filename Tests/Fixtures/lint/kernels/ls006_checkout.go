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
