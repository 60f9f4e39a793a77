package main

import (
	"errors"
	"sync"
)

var errNoStream = errors.New("no stream 0")

// streamTable hands its lock to a stream's request methods, which queue the request and release
// the table through the stream's field.
type streamTable struct {
	mu      sync.Mutex
	streams map[uint64]*feedStream
}

type feedStream struct {
	owner    *streamTable
	requests chan uint64
	open     bool
}

// issueOpen queues the open request, then releases the table lock its caller took.
func (s *feedStream) issueOpen(id uint64) error {
	s.requests <- id
	s.owner.mu.Unlock()
	return nil
}

// issueReopen takes the table lock itself before it releases it: no hand-over.
func (s *feedStream) issueReopen(id uint64) error {
	s.owner.mu.Lock()
	s.requests <- id
	s.owner.mu.Unlock()
	return nil
}

// Fixed: every path gives the lock up, through the stream's method or through its field.
func (r *streamTable) openStream(id uint64) error {
	r.mu.Lock()
	if id == 0 {
		r.mu.Unlock()
		return errNoStream
	}
	s, ok := r.streams[id]
	if !ok {
		s = &feedStream{owner: r, requests: make(chan uint64, 1)}
		r.streams[id] = s
	}
	if s.open {
		s.owner.mu.Unlock()
		return nil
	}
	return s.issueOpen(id)
}

// Leaks: issueReopen does not release the caller's hold, so the return keeps the lock.
func (r *streamTable) reopenStream(id uint64) error {
	r.mu.Lock() // want "LS006"
	s, ok := r.streams[id]
	if !ok {
		r.mu.Unlock()
		return nil
	}
	return s.issueReopen(id)
}

// levelGauge records which of its locks a call holds; a deferred literal registered first releases
// whichever it is.
type levelGauge struct {
	lock  sync.RWMutex
	other sync.Mutex
	level int
}

type holdState struct{ exclusive bool }

// Fixed: the deferred literal settles the read or the write hold on the way out.
func (g *levelGauge) raise(limit int) bool {
	state := &holdState{}
	defer func(h *holdState) {
		if h.exclusive {
			g.lock.Unlock()
		} else {
			g.lock.RUnlock()
		}
	}(state)
	g.lock.RLock()
	if g.level < limit {
		return false
	}
	g.lock.RUnlock()
	g.lock.Lock()
	state.exclusive = true
	g.level = 0
	return true
}

// Leaks: the deferred literal releases another lock, not this one.
func (g *levelGauge) lower(limit int) bool {
	defer func() {
		g.other.Unlock()
	}()
	g.other.Lock()
	g.lock.Lock() // want "LS006"
	if g.level > limit {
		return false
	}
	g.level--
	g.lock.Unlock()
	return true
}

// Leaks: the stream's field points at another table, so its unlock is not this table's.
func (r *streamTable) countPeer(peer *streamTable, id uint64) int {
	r.mu.Lock() // want "LS006"
	if id == 0 {
		r.mu.Unlock()
		return 0
	}
	s := &feedStream{owner: peer, requests: make(chan uint64, 1)}
	n := len(r.streams)
	s.owner.mu.Unlock()
	return n
}

// Leaks: the deferred literal unlocks only while a panic unwinds, not on the early return.
func (g *levelGauge) reset(limit int) bool {
	defer func() {
		if p := recover(); p != nil {
			g.lock.Unlock()
			panic(p)
		}
	}()
	g.lock.Lock() // want "LS006"
	if g.level < limit {
		return false
	}
	g.level = 0
	g.lock.Unlock()
	return true
}

// Fixed: needUnlock says whether the read lock is held; the deferred literal releases it then.
func (g *levelGauge) sample(retries int) (int, error) {
	needUnlock := false
	defer func() {
		if needUnlock {
			g.lock.RUnlock()
		}
	}()
	for i := 0; i < retries; i++ {
		g.lock.RLock()
		needUnlock = true
		if g.level < 0 {
			return 0, errNoStream
		}
		level := g.level
		g.lock.RUnlock()
		needUnlock = false
		if level > 0 {
			return level, nil
		}
	}
	return 0, nil
}

// Leaks: the flag is cleared before the unlock that should follow it is written, so the early
// return keeps the read lock.
func (g *levelGauge) sampleOnce() (int, error) {
	held := false
	defer func() {
		if held {
			g.lock.RUnlock()
		}
	}()
	g.lock.RLock() // want "LS006"
	held = true
	level := g.level
	held = false
	if level < 0 {
		return 0, errNoStream
	}
	g.lock.RUnlock()
	return level, nil
}
