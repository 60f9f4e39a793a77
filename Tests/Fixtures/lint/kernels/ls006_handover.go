package main

import "sync"

type session struct {
	gate sync.Mutex
	id   string
}

type sessions struct {
	mu  sync.Mutex
	all map[string]*session
}

// Leaks: a cache hit returns the value with the table still locked.
func (t *sessions) lookup(id string) (string, bool) {
	t.mu.Lock() // want "LS006"
	if s, ok := t.all[id]; ok {
		return s.id, true
	}
	t.mu.Unlock()
	return "", false
}

// Fixed: the lock is released on every path.
func (t *sessions) lookupFixed(id string) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.all[id]; ok {
		return s.id, true
	}
	return "", false
}

// Silent: returns the session with its gate held, comma-ok style; the caller unlocks s.gate.
func (t *sessions) lockSession(id string) (*session, bool) {
	t.mu.Lock()
	s := t.all[id]
	t.mu.Unlock()
	if s == nil {
		return nil, false
	}
	gate := &s.gate
	gate.Lock()
	if t.all[id] != s {
		gate.Unlock()
		return nil, false
	}
	return s, true
}

// Silent: the same hand-over through a field path.
func (t *sessions) lockFirst(id string) (*session, bool) {
	s := t.all[id]
	s.gate.Lock()
	if s.id != id {
		s.gate.Unlock()
		return nil, false
	}
	return s, true
}

type pendingStore struct {
	pending sync.Mutex
	mu      sync.Mutex
	next    string
	busy    bool
}

var errBusy = errorString("a change is pending")

type errorString string

func (e errorString) Error() string { return string(e) }

// Fine: on success the pending lock stays held until commit releases it; every error return
// releases it (acquire now, release in a later call).
func (p *pendingStore) reserve(name string) error {
	p.pending.Lock()
	if p.busy {
		p.pending.Unlock()
		return errBusy
	}
	p.next = name
	return nil
}

func (p *pendingStore) commit() {
	p.next = ""
	p.pending.Unlock()
}

// Leaks: one success return holds the lock while the other releases it.
func (p *pendingStore) check(name string) error {
	p.mu.Lock() // want "LS006"
	if name == "" {
		return nil
	}
	if p.busy {
		p.mu.Unlock()
		return errBusy
	}
	p.mu.Unlock()
	return nil
}

type registry struct {
	mu      sync.Mutex
	rw      sync.RWMutex
	started bool
	names   map[string]int
}

// Fine: the deferred unlock runs when the immediately invoked literal returns.
func (r *registry) start(setup func() error) error {
	r.mu.Lock()
	if r.started {
		r.mu.Unlock()
		return errBusy
	}
	err := func() error {
		defer r.mu.Unlock()
		r.started = true
		return setup()
	}()
	if err != nil {
		return err
	}
	return nil
}

// Fine: finishLocked releases the lock its caller holds.
func (r *registry) add(name string) error {
	r.mu.Lock()
	if _, ok := r.names[name]; ok {
		r.mu.Unlock()
		return errBusy
	}
	return r.finishLocked(name)
}

func (r *registry) finishLocked(name string) error {
	r.names[name] = len(r.names)
	r.mu.Unlock()
	// Takes the lock again for its own use, after releasing the caller's.
	defer func() {
		r.mu.Lock()
		r.started = true
		r.mu.Unlock()
	}()
	return nil
}

// Fine: the cleanup that lookupLocked returns releases the read lock.
func (r *registry) index(name string) (int, error) {
	r.rw.RLock()
	if r.names == nil {
		r.rw.RUnlock()
		return 0, errBusy
	}
	i, cleanup, err := r.lookupLocked(name)
	defer cleanup()
	if err != nil {
		return 0, err
	}
	return i, nil
}

func (r *registry) lookupLocked(name string) (int, func(), error) {
	release := func() { r.rw.RUnlock() }
	i, ok := r.names[name]
	if !ok {
		return 0, release, errBusy
	}
	return i, release, nil
}

// Leaks: the helper it returns through reads the map but never unlocks.
func (r *registry) size(name string) (int, error) {
	r.mu.Lock() // want "LS006"
	if name == "" {
		return r.count(), errBusy
	}
	n := r.count()
	r.mu.Unlock()
	return n, nil
}

func (r *registry) count() int { return len(r.names) }

// prepared stands for a statement store that takes its caller's lock and releases it once the
// statement is ready (gorm's stmt_store New).
func prepared(query string, locker sync.Locker) string {
	defer locker.Unlock()
	return "prepared " + query
}

// Silent: on a miss the locked mutex itself goes to prepared, which releases it.
func (t *sessions) prepare(query string) string {
	t.mu.Lock()
	if s, ok := t.all[query]; ok {
		t.mu.Unlock()
		return s.id
	}
	return prepared(query, &t.mu)
}

// Leaks: the call gets the session's gate, not the table's lock; t.mu stays held.
func (t *sessions) prepareGated(id string) string {
	t.mu.Lock() // want "LS006"
	s, ok := t.all[id]
	if !ok {
		t.mu.Unlock()
		return ""
	}
	s.gate.Lock()
	return prepared(id, &s.gate)
}

// counters embeds its mutex.
type counters struct {
	sync.Mutex
	hits map[string]int
}

func total(c *counters) int { return len(c.hits) }

// Leaks: handing c to a helper hands over the value, not its embedded lock.
func (c *counters) countMiss(key string) int {
	c.Lock() // want "LS006"
	if n, ok := c.hits[key]; ok {
		c.Unlock()
		return n
	}
	return total(c)
}

type job struct{ name string }

type executor struct {
	workers sync.RWMutex
	queue   chan job
	done    chan struct{}
}

// Silent: a queued job carries the read lock to the worker, whose run releases it. The result is
// the queue's length after the job, or -1 when the executor has stopped.
func (e *executor) submit(j job) int {
	e.workers.RLock()
	select {
	case e.queue <- j:
		return len(e.queue)
	case <-e.done:
		e.workers.RUnlock()
	}
	return -1
}

func (e *executor) run(j job) {
	defer e.workers.RUnlock()
	println(j.name)
}

type batcher struct {
	mu      sync.Mutex
	pending chan job
	done    chan struct{}
}

// Leaks: the same shape, but nothing of the type ever releases a lock it did not take.
func (b *batcher) add(j job) int {
	b.mu.Lock() // want "LS006"
	select {
	case b.pending <- j:
		return len(b.pending)
	case <-b.done:
		b.mu.Unlock()
	}
	return -1
}

type eventList struct {
	mu     sync.RWMutex
	entries []string
}

// reload drops the caller's read lock, takes the write lock to refill the list, and takes the
// read lock again for the caller.
func (l *eventList) reload() string {
	l.mu.RUnlock()
	l.mu.Lock()
	l.entries = append(l.entries, "broken-map")
	l.mu.Unlock()
	l.mu.RLock()
	return l.entries[len(l.entries)-1]
}

// Silent: the caller gets the event with the read lock held, and done, the function that
// releases it.
func (l *eventList) lockAndGetEvent(kind string) (event string, done func()) {
	l.mu.RLock()
	done = func() {
		l.mu.RUnlock()
	}
	for _, e := range l.entries {
		if e == kind {
			event = e
			return
		}
	}
	event = l.reload()
	return
}

// Leaks: the same, but the release function is only kept for a later cleanup; a hit returns
// with the read lock held and no way for the caller to release it.
func (l *eventList) getEvent(kind string) (event string) {
	l.mu.RLock() // want "LS006"
	var release func()
	release = func() {
		l.mu.RUnlock()
	}
	for _, e := range l.entries {
		if e == kind {
			event = e
			return
		}
	}
	event = l.reload()
	release()
	return
}

// Leaks: a miss returns before done is set: the caller gets a nil release and the lock stays held.
func (l *eventList) lockAndFindEvent(kind string) (event string, done func()) {
	l.mu.RLock() // want "LS006"
	if len(l.entries) == 0 {
		return
	}
	done = func() {
		l.mu.RUnlock()
	}
	for _, e := range l.entries {
		if e == kind {
			event = e
			return
		}
	}
	event = l.reload()
	return
}
