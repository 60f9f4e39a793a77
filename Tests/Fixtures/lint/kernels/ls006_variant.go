package main

import (
	"errors"
	"sync"
)

// A lock of the project's own that tells watchers about changes when it is released, and has a
// second release that does not.
type notifyingLock struct {
	mu      sync.Mutex
	changed func()
}

func (l *notifyingLock) Lock() { l.mu.Lock() }

func (l *notifyingLock) Unlock() {
	l.mu.Unlock()
	l.changed()
}

func (l *notifyingLock) UnlockWithoutNotify() { l.mu.Unlock() }

// UnlockAndRLock trades the write hold for a read hold: the lock is still held.
func (l *notifyingLock) UnlockAndRLock() { l.mu.Unlock() }

type forwarder struct {
	stateLock *notifyingLock
	running   bool
	paused    bool
}

// Fixed: the early return releases the lock through the variant that skips the notification.
func (f *forwarder) resume() error {
	f.stateLock.Lock()
	if f.running {
		f.stateLock.UnlockWithoutNotify()
		return nil
	}
	f.running = true
	f.stateLock.Unlock()
	return nil
}

// Leaks: the paused path returns holding the lock.
func (f *forwarder) pause() error {
	f.stateLock.Lock() // want "LS006"
	if f.paused {
		return errors.New("already paused")
	}
	f.paused = true
	f.stateLock.Unlock()
	return nil
}

// Leaks: trading the write hold for a read hold is not a release.
func (f *forwarder) peek() (bool, error) {
	f.stateLock.Lock() // want "LS006"
	if !f.running {
		f.stateLock.UnlockAndRLock()
		return false, errors.New("not running")
	}
	running := f.running
	f.stateLock.Unlock()
	return running, nil
}
