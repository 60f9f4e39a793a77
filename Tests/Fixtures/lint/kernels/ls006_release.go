package main

import (
	"errors"
	"sync"
)

// downgradableMutex stands in for gVisor's sync.RWMutex, whose DowngradeLock turns a write hold
// into a read hold (this stand-in is not atomic; only the calls matter here).
type downgradableMutex struct{ sync.RWMutex }

func (m *downgradableMutex) DowngradeLock() {
	m.Unlock()
	m.RLock()
}

type pageTable struct {
	mu    downgradableMutex
	pages map[int]int
}

// check reports a page number out of range.
func (p *pageTable) check(v int) error {
	if v > 1<<20 {
		return errors.New("page out of range")
	}
	return nil
}

// Silent: the write lock fills the table, the downgraded read lock checks it, RUnlock ends it.
func (p *pageTable) mapPage(n int) error {
	p.mu.Lock()
	if n < 0 {
		p.mu.Unlock()
		return errors.New("negative page")
	}
	p.pages[n] = n
	p.mu.DowngradeLock()
	err := p.check(p.pages[n])
	p.mu.RUnlock()
	return err
}

// Leaks: a failed check after the downgrade returns with the read hold.
func (p *pageTable) mapPageChecked(n int) error {
	p.mu.Lock() // want "LS006"
	if n < 0 {
		p.mu.Unlock()
		return errors.New("negative page")
	}
	p.pages[n] = n
	p.mu.DowngradeLock()
	if err := p.check(p.pages[n]); err != nil {
		return err
	}
	p.mu.RUnlock()
	return nil
}

// cleanupStack stands in for gVisor's cleanup.Cleanup: Clean runs what Add registered, unless
// Release came first.
type cleanupStack struct{ fns []func() }

func (c *cleanupStack) Add(f func()) { c.fns = append(c.fns, f) }

func (c *cleanupStack) Release() { c.fns = nil }

func (c *cleanupStack) Clean() {
	for i := len(c.fns) - 1; i >= 0; i-- {
		c.fns[i]()
	}
	c.fns = nil
}

type nameRegistry struct {
	mu    sync.Mutex
	names map[string]bool
}

// Silent: the unlock is registered with a cleanup the function runs on every return.
func (r *nameRegistry) reserve(name string) error {
	var cu cleanupStack
	defer cu.Clean()
	r.mu.Lock()
	cu.Add(func() { r.mu.Unlock() })
	if r.names[name] {
		return errors.New("name taken")
	}
	r.names[name] = true
	cu.Release()
	r.mu.Unlock()
	return nil
}

// Leaks: the same registration with a cleanup nothing runs.
func (r *nameRegistry) reserveUncleaned(name string) error {
	var cu cleanupStack
	r.mu.Lock() // want "LS006"
	cu.Add(func() { r.mu.Unlock() })
	if r.names[name] {
		return errors.New("name taken")
	}
	r.names[name] = true
	r.mu.Unlock()
	return nil
}

// queryStream stands in for sling's datastream: Close runs what Defer registered.
type queryStream struct {
	rows     []string
	deferred []func()
}

func (s *queryStream) Defer(f func()) { s.deferred = append(s.deferred, f) }

func (s *queryStream) Close() {
	for _, f := range s.deferred {
		f()
	}
}

type queryEngine struct {
	mu   sync.Mutex
	busy bool
}

// Silent: after the registration the returned stream owns the unlock; its user's Close runs it.
func (e *queryEngine) stream(query string) (*queryStream, error) {
	e.mu.Lock()
	if query == "" {
		e.mu.Unlock()
		return nil, errors.New("empty query")
	}
	s := &queryStream{}
	s.Defer(func() { e.mu.Unlock() })
	s.rows = append(s.rows, query)
	if len(query) > 1<<20 {
		return s, errors.New("query too long")
	}
	return s, nil
}

// Leaks: the stream that holds the unlock is dropped on the error return.
func (e *queryEngine) count(query string) (int, error) {
	e.mu.Lock() // want "LS006"
	if e.busy {
		e.mu.Unlock()
		return 0, errors.New("engine busy")
	}
	s := &queryStream{}
	s.Defer(func() { e.mu.Unlock() })
	if query == "" {
		return 0, errors.New("empty query")
	}
	s.Close()
	return len(s.rows), nil
}

// lockedCursor keeps its database read-locked until Close, as ZanRedisDB's iterators do with a
// database of another package.
type lockedCursor struct {
	db   *sync.RWMutex
	rows []string
}

func (c *lockedCursor) Close() {
	c.rows = nil
	c.db.RUnlock()
}

// Silent: the error path closes the cursor, which releases the read lock; success hands it over.
func openCursor(db *sync.RWMutex, query string, closed bool) (*lockedCursor, error) {
	db.RLock()
	if closed {
		db.RUnlock()
		return nil, errors.New("database closed")
	}
	c := &lockedCursor{db: db}
	if query == "" {
		c.Close()
		return nil, errors.New("empty query")
	}
	c.rows = append(c.rows, query)
	return c, nil
}

// Leaks: the error path drops the cursor without closing it.
func openCursorUnclosed(db *sync.RWMutex, query string, closed bool) (*lockedCursor, error) {
	db.RLock() // want "LS006"
	if closed {
		db.RUnlock()
		return nil, errors.New("database closed")
	}
	c := &lockedCursor{db: db}
	if query == "" {
		return nil, errors.New("empty query")
	}
	c.rows = append(c.rows, query)
	return c, nil
}
