package main

import (
	"errors"
	"sync"
)

var errClosed = errors.New("closed")

type claims struct {
	mu      sync.Mutex
	entries map[string]int
}

// Silent: claim returns holding r.mu unless it fails; its only caller releases it in a deferred
// literal once it has counted the entry.
func (r *claims) claim(name string) (old int, err error) {
	r.mu.Lock()
	if r.entries == nil {
		r.mu.Unlock()
		err = errClosed
		return
	}
	old = r.entries[name]
	return
}

func (r *claims) register(name string) (err error) {
	old, err := r.claim(name)
	if err != nil {
		return err
	}
	defer func() {
		if err == nil {
			r.entries[name] = old + 1
		}
		r.mu.Unlock()
	}()
	if old > 100 {
		return errClosed
	}
	return nil
}

// Leaks: the same claim, but this caller's deferred literal forgets the unlock.
func (r *claims) reserve(name string) (old int, err error) {
	r.mu.Lock() // want "LS006"
	if r.entries == nil {
		r.mu.Unlock()
		err = errClosed
		return
	}
	old = r.entries[name]
	return
}

func (r *claims) book(name string) (err error) {
	old, err := r.reserve(name)
	defer func() {
		if err == nil && old == 0 {
			r.entries[name] = 1
		}
	}()
	return err
}

type reader struct {
	rlock sync.Mutex
	next  int
}

// Silent: the matching response's reader gets the locked mutex itself as a result, and unlocks it
// once it has read the body.
func (c *reader) awaitResponse(id int) (size int, lock *sync.Mutex, err error) {
	for {
		c.rlock.Lock()
		if c.next < 0 {
			c.rlock.Unlock()
			return 0, nil, errClosed
		}
		if c.next == id {
			size, lock = 8, &c.rlock
			return
		}
		c.rlock.Unlock()
	}
}

func (c *reader) readResponse(id int) (int, error) {
	size, lock, err := c.awaitResponse(id)
	if err != nil {
		return 0, err
	}
	defer lock.Unlock()
	c.next++
	return size, nil
}

// Leaks: the same loop, but the result is a copy of the size only and the lock stays held.
func (c *reader) peekResponse(id int) (size int, err error) {
	for {
		c.rlock.Lock() // want "LS006"
		if c.next < 0 {
			c.rlock.Unlock()
			return 0, errClosed
		}
		if c.next == id {
			size = 8
			return
		}
		c.rlock.Unlock()
	}
}

type waitList struct {
	mux     sync.Mutex
	waiting int
}

type memory struct{ lists map[int]*waitList }

// Silent: the list goes to wait with its mutex held, and wait unlocks it before it blocks.
func (m *memory) waitFor(at int, expected int) int {
	w := m.lists[at]
	w.mux.Lock()
	if w.waiting != expected {
		w.mux.Unlock()
		return 1
	}
	return m.wait(w)
}

func (m *memory) wait(w *waitList) int {
	w.waiting++
	w.mux.Unlock()
	return 0
}

// Leaks: the helper takes the list's mutex itself first, so the caller's hold is never released.
func (m *memory) waitUntil(at int, expected int) int {
	w := m.lists[at]
	w.mux.Lock() // want "LS006"
	if w.waiting != expected {
		w.mux.Unlock()
		return 1
	}
	return m.count(w)
}

func (m *memory) count(w *waitList) int {
	w.mux.Lock()
	n := w.waiting
	w.mux.Unlock()
	return n
}

type promise struct {
	mu      sync.Mutex
	running bool
	done    chan struct{}
	value   int
}

// Silent: start runs the work on a goroutine that takes the lock later for itself, then hands
// the caller's hold to await, which unlocks before it blocks.
func (p *promise) get(work func() int) int {
	p.mu.Lock()
	if !p.running {
		return p.start(work)
	}
	if p.done == nil {
		defer p.mu.Unlock()
		return p.value
	}
	return p.await()
}

func (p *promise) start(work func() int) int {
	p.running = true
	p.done = make(chan struct{})
	go func() {
		v := work()
		p.mu.Lock()
		p.value = v
		close(p.done)
		p.mu.Unlock()
	}()
	return p.await()
}

func (p *promise) await() int {
	done := p.done
	p.mu.Unlock()
	<-done
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.value
}

// Leaks: the same promise, but restart locks again itself before it waits: the caller's hold is
// never released.
func (p *promise) refresh(work func() int) int {
	p.mu.Lock() // want "LS006"
	if !p.running {
		return p.restart(work)
	}
	defer p.mu.Unlock()
	return p.value
}

func (p *promise) restart(work func() int) int {
	p.mu.Lock()
	p.running = true
	p.mu.Unlock()
	return p.await()
}

type listener struct {
	senderLock sync.Mutex
	err        error
}

// Silent: acquire keeps the lock on success, and its only caller gives it back through release,
// which unlocks without locking.
func (l *listener) acquire() (err error) {
	l.senderLock.Lock()
	err = l.err
	if err != nil {
		l.senderLock.Unlock()
		return
	}
	return
}

func (l *listener) release() { l.senderLock.Unlock() }

func (l *listener) send(query string) error {
	if err := l.acquire(); err != nil {
		return err
	}
	defer l.release()
	println(query)
	return nil
}

// Leaks: the same acquire, but this caller's helper locks again before unlocking, so the hold
// acquire hands over is never given back.
func (l *listener) take() (err error) {
	l.senderLock.Lock() // want "LS006"
	err = l.err
	if err != nil {
		l.senderLock.Unlock()
		return
	}
	return
}

func (l *listener) relock() {
	l.senderLock.Lock()
	l.err = nil
	l.senderLock.Unlock()
}

func (l *listener) ping() error {
	if err := l.take(); err != nil {
		return err
	}
	defer l.relock()
	return nil
}

// Leaks: the helper drops the list's mutex to wait and takes it back, so the caller's return
// still holds it.
func (m *memory) waitAgain(at int, expected int) int {
	w := m.lists[at]
	w.mux.Lock() // want "LS006"
	if w.waiting != expected {
		w.mux.Unlock()
		return 1
	}
	return m.pause(w)
}

func (m *memory) pause(w *waitList) int {
	w.mux.Unlock()
	w.waiting++
	w.mux.Lock()
	return w.waiting
}

// Leaks: the mutex goes out through the named result on one branch only; the closed branch
// returns holding it with a nil result.
func (c *reader) awaitOrFail(id int) (size int, lock *sync.Mutex, err error) {
	c.rlock.Lock() // want "LS006"
	if c.next == id {
		size, lock = 8, &c.rlock
		return
	}
	if c.next < 0 {
		err = errClosed
		return
	}
	c.rlock.Unlock()
	return
}

func (c *reader) readOrFail(id int) (int, error) {
	size, lock, err := c.awaitOrFail(id)
	if err != nil {
		return 0, err
	}
	defer lock.Unlock()
	return size, nil
}
