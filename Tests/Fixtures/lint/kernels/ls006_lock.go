package main

import (
	"errors"
	"sync"
)

type store struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	data map[string]int
}

// Leaks: the error path returns with the mutex held.
func (s *store) put(k string, v int) error {
	s.mu.Lock() // want "LS006"
	if k == "" {
		return errors.New("empty key")
	}
	s.data[k] = v
	s.mu.Unlock()
	return nil
}

// Leaks: a read lock held on one switch arm.
func (s *store) get(k string) (int, bool) {
	s.rw.RLock() // want "LS006"
	switch k {
	case "":
		return 0, false
	}
	v, ok := s.data[k]
	s.rw.RUnlock()
	return v, ok
}

// Fixed.
func (s *store) putDeferred(k string, v int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k == "" {
		return errors.New("empty key")
	}
	s.data[k] = v
	return nil
}

// Fixed: unlocked on both paths.
func (s *store) putBoth(k string, v int) error {
	s.mu.Lock()
	if k == "" {
		s.mu.Unlock()
		return errors.New("empty key")
	}
	s.data[k] = v
	s.mu.Unlock()
	return nil
}

// Fixed: the lock is handed to the caller on purpose.
func (s *store) lock() { s.mu.Lock() }

type waiter struct {
	cond  *sync.Cond
	ready bool
}

// Fine: after the early unlock, the lock is handed to a goroutine that waits on the condition
// and unlocks when it is done.
func (w *waiter) wait(done chan<- bool) error {
	w.cond.L.Lock()
	if w.ready {
		w.cond.L.Unlock()
		return nil
	}
	go func() {
		for !w.ready {
			w.cond.Wait()
		}
		w.cond.L.Unlock()
		done <- true
	}()
	return errors.New("not ready yet")
}

var (
	cacheMu sync.Mutex
	cached  = map[string]string{}
)

// Fine: a miss returns with cacheMu held for the caller to fill the cache, and every caller
// unlocks it after the call.
func lookupCached(key string) (string, bool) {
	cacheMu.Lock()
	v, ok := cached[key]
	if !ok {
		return "", false
	}
	cacheMu.Unlock()
	return v, true
}

func resolveCached(key string, resolve func(string) string) string {
	if v, ok := lookupCached(key); ok {
		return v
	}
	v := resolve(key)
	cached[key] = v
	cacheMu.Unlock()
	return v
}

var (
	namesMu sync.Mutex
	names   = map[string]string{}
)

// Leaks: the same protocol, but one caller forgets to unlock after a miss.
func lookupName(key string) (string, bool) {
	namesMu.Lock() // want "LS006"
	v, ok := names[key]
	if !ok {
		return "", false
	}
	namesMu.Unlock()
	return v, true
}

func resolveName(key string, resolve func(string) string) string {
	if v, ok := lookupName(key); ok {
		return v
	}
	v := resolve(key)
	names[key] = v
	namesMu.Unlock()
	return v
}

func hasName(key string) bool {
	_, ok := lookupName(key)
	return ok
}

type treeNode struct {
	sync.Mutex
	children map[string]*treeNode
}

// Fixed: the unlock is a method value bound before node moves on to the child; calling it
// releases the lock the walk took on the parent.
func walkTree(node *treeNode, names []string) (n *treeNode, err error) {
	for _, name := range names {
		node.Lock()
		unlock := node.Unlock
		node, err = node.child(name)
		unlock()
		if err != nil {
			return
		}
	}
	node.Lock()
	defer node.Unlock()
	return node.child(".")
}

func (t *treeNode) child(name string) (*treeNode, error) {
	if c, ok := t.children[name]; ok {
		return c, nil
	}
	return nil, errors.New("no such child")
}

// Leaks: the same walk, but the bound unlock is skipped on the missing child's return.
func walkTreeLeaky(node *treeNode, names []string) (*treeNode, error) {
	for _, name := range names {
		node.Lock() // want "LS006"
		unlock := node.Unlock
		next, ok := node.children[name]
		if !ok {
			return nil, errors.New("no such child")
		}
		unlock()
		node = next
	}
	return node, nil
}
