package main

import (
	"errors"
	"sync"
)

type jobTable struct {
	mu      sync.Mutex
	running map[string]func()
	journal map[string]int
}

// Silent: a queued job is cancelled and the table released at once; otherwise the table stays
// locked until the journal entry is read, and released then.
func (t *jobTable) requeue(id string) (int, error) {
	t.mu.Lock()
	if t.running == nil {
		t.mu.Unlock()
		return 0, errClosed
	}
	cancel, queued := t.running[id]
	if queued {
		cancel()
		t.mu.Unlock()
	}
	entry, ok := t.journal[id]
	if !queued {
		t.mu.Unlock()
	}
	if !ok {
		return 0, errors.New("no entry")
	}
	return entry, nil
}

// Leaks: the flag changes between the two, so a queued job that is then marked done keeps the
// table locked.
func (t *jobTable) requeueAndMark(id string) (int, error) {
	t.mu.Lock() // want "LS006"
	if t.running == nil {
		t.mu.Unlock()
		return 0, errClosed
	}
	cancel, queued := t.running[id]
	if queued {
		cancel()
		t.mu.Unlock()
	}
	entry, ok := t.journal[id]
	if entry > 0 {
		queued = false
	}
	if !queued {
		t.mu.Unlock()
	}
	if !ok {
		return 0, errors.New("no entry")
	}
	return entry, nil
}

// Leaks: both branches test the same value, so a job not queued is never released.
func (t *jobTable) requeueTwice(id string) (int, error) {
	t.mu.Lock() // want "LS006"
	if t.running == nil {
		t.mu.Unlock()
		return 0, errClosed
	}
	cancel, queued := t.running[id]
	if queued {
		cancel()
		t.mu.Unlock()
	}
	entry, ok := t.journal[id]
	if queued {
		t.mu.Unlock()
	}
	if !ok {
		return 0, errors.New("no entry")
	}
	return entry, nil
}

// Leaks: a closure set before the lock marks the job queued between the two, so neither
// unlock runs.
func (t *jobTable) requeueMarked(id string, mark func(*bool)) (int, error) {
	t.mu.Lock() // want "LS006"
	if t.running == nil {
		t.mu.Unlock()
		return 0, errClosed
	}
	cancel, queued := t.running[id]
	if queued {
		cancel()
		t.mu.Unlock()
	}
	mark(&queued)
	entry, ok := t.journal[id]
	if !queued {
		t.mu.Unlock()
	}
	if !ok {
		return 0, errors.New("no entry")
	}
	return entry, nil
}
