package main

import (
	"errors"
	"sync"
)

// A fanout of members, each closed when it is removed (gonuts's websocket manager,
// docs/LINT.md session 34).

type member struct {
	outbox chan string
	failed bool
}

// close cannot fail: its one return gives nil.
func (s *member) close() error {
	close(s.outbox)
	return nil
}

// detach can: it reports a member that already failed.
func (s *member) detach() error {
	if s.failed {
		return errors.New("member already failed")
	}
	close(s.outbox)
	return nil
}

type fanout struct {
	mu      sync.Mutex
	members map[*member]bool
}

// Silent: the return with the lock held follows an error close never gives.
func (h *fanout) remove(s *member) error {
	h.mu.Lock()
	if _, ok := h.members[s]; ok {
		if err := s.close(); err != nil {
			return err
		}
		delete(h.members, s)
	}
	h.mu.Unlock()
	return nil
}

// Leaks: detach fails for a member that already failed, and the lock is kept.
func (h *fanout) drop(s *member) error {
	h.mu.Lock() // want "LS006"
	if _, ok := h.members[s]; ok {
		if err := s.detach(); err != nil {
			return err
		}
		delete(h.members, s)
	}
	h.mu.Unlock()
	return nil
}

// Leaks: the error comes from a function value, whatever close itself does.
func (h *fanout) removeWith(s *member, closer func(*member) error) error {
	h.mu.Lock() // want "LS006"
	if err := closer(s); err != nil {
		return err
	}
	delete(h.members, s)
	h.mu.Unlock()
	return nil
}

// settle cannot fail either.
func settle() error { return nil }

// shut recovers a panic of close into its named error, after its `return nil`.
func (s *member) shut() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("member already shut")
		}
	}()
	close(s.outbox)
	return nil
}

type gatedFanout struct {
	mu   sync.Mutex
	gate *member
}

// Silent: the gate's close, a field of the package's type, cannot fail.
func (g *gatedFanout) release() error {
	g.mu.Lock()
	if err := g.gate.close(); err != nil {
		return err
	}
	g.mu.Unlock()
	return nil
}

// Leaks: a local closure named settle hides the function that cannot fail.
func (g *gatedFanout) settleWith(check func() bool) error {
	settle := func() error {
		if !check() {
			return errors.New("not settled")
		}
		return nil
	}
	g.mu.Lock() // want "LS006"
	if err := settle(); err != nil {
		return err
	}
	g.mu.Unlock()
	return nil
}

// Leaks: shut's deferred recover may still give an error.
func (g *gatedFanout) shutGate() error {
	g.mu.Lock() // want "LS006"
	if err := g.gate.shut(); err != nil {
		return err
	}
	g.mu.Unlock()
	return nil
}
