package main

import (
	"errors"
	"sync"
)

// versioned is a value with a version that changes on every write; readers can wait for a
// version other than the one they saw.
type versioned struct {
	mu      sync.RWMutex
	changed *sync.Cond
	version int
	value   string
}

func newVersioned() *versioned {
	v := &versioned{}
	v.changed = sync.NewCond(&v.mu)
	return v
}

func (v *versioned) set(value string) {
	v.mu.Lock()
	v.value = value
	v.version++
	v.changed.Broadcast()
	v.mu.Unlock()
}

// Fixed: every return holds the read lock, the first one's or the one taken again after
// waiting for a change: the method gives its caller the lock (weaver's Versioned.RLock), which
// the caller releases with readUnlock.
func (v *versioned) readLockAfter(seen int) int {
	v.mu.RLock()
	if v.version != seen {
		return v.version
	}
	v.mu.RUnlock()
	v.mu.Lock()
	for v.version == seen {
		v.changed.Wait()
	}
	v.mu.Unlock()
	v.mu.RLock()
	return v.version
}

func (v *versioned) readUnlock() { v.mu.RUnlock() }

// Leaks: the lock is taken again only when asked, so the early return holds it and the last
// one may not: the caller cannot know whether to release.
func (v *versioned) peekAfter(seen int, hold bool) int {
	v.mu.RLock() // want "LS006"
	if v.version != seen {
		return v.version
	}
	v.mu.RUnlock()
	if hold {
		v.mu.RLock()
	}
	return seen
}

func readers() {
	v := newVersioned()
	v.set("a")
	seen := v.readLockAfter(0)
	v.readUnlock()
	_ = v.peekAfter(seen, false)
}

type shard struct {
	mu    sync.Mutex
	items map[string]int
}

// Leaks: the lock taken again is another shard's (s was reassigned), so the early return holds
// the source shard's lock, which the caller never sees.
func moveItem(shards [2]*shard, k string, from int) *shard {
	s := shards[from]
	s.mu.Lock() // want "LS006"
	v, ok := s.items[k]
	if !ok {
		return nil
	}
	delete(s.items, k)
	s.mu.Unlock()
	s = shards[1-from]
	s.mu.Lock()
	s.items[k] = v
	return s
}

type entry struct {
	mu   sync.Mutex
	dead bool
	refs int
}

type entries struct {
	byName map[string]*entry
}

// Fixed: the entry goes back to the caller locked, through the named result; a dead one is
// unlocked and dropped (gcsfuse's inode lookups).
func (t *entries) lockedEntry(name string) (e *entry) {
	e = t.byName[name]
	if e == nil {
		return
	}
	e.mu.Lock()
	if e.dead {
		e.mu.Unlock()
		e = nil
		return
	}
	return
}

// Fixed: the same through another named result given the locked entry just before.
func (t *entries) lockedLive(name string) (found *entry, ok bool) {
	e := t.byName[name]
	if e == nil {
		return
	}
	e.mu.Lock()
	if e.dead {
		e.mu.Unlock()
		return
	}
	found, ok = e, true
	return
}

// Leaks: a dead entry is dropped from the result while still locked: nobody can unlock it.
func (t *entries) liveEntry(name string) (e *entry) {
	e = t.byName[name]
	if e == nil {
		return
	}
	e.mu.Lock() // want "LS006"
	if e.dead {
		e = nil
		return
	}
	if e.refs == 0 {
		e.mu.Unlock()
		e = nil
		return
	}
	return
}

var errNegativeValue = errors.New("negative value")

// Leaks: the error path returns through the named results with the entry still locked; the
// caller checks the error and drops the entry.
func (t *entries) update(name string, refs int) (e *entry, err error) {
	e = t.byName[name]
	e.mu.Lock() // want "LS006"
	if refs < 0 {
		err = errNegativeValue
		return
	}
	e.refs = refs
	e.mu.Unlock()
	return
}
