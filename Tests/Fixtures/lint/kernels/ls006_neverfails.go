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
