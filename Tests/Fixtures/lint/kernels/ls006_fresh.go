package main

import (
	"errors"
	"os"
	"sync"
	"time"
)

// storeIndex is built by newStoreIndex and the others below; its lock guards entries.
type storeIndex struct {
	entryMu sync.Mutex
	entries map[string]int
	logf    func(string, ...any)
}

// fillFromDisk reads the index file; the receiver is only used for its fields.
func (x *storeIndex) fillFromDisk(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	x.entries[path] = len(b)
	x.logf("loaded %s", path)
	return nil
}

// watchForChanges refreshes the index until the process ends.
func (x *storeIndex) watchForChanges() {
	for {
		time.Sleep(time.Minute)
		x.entryMu.Lock()
		x.entries = map[string]int{}
		x.entryMu.Unlock()
	}
}

var openIndexes []*storeIndex

// Silent: the index the function has just made is dropped with its lock on the error path;
// nothing else has seen it, so nothing can wait on that lock (statshouse's NewHandler).
func newStoreIndex(path string) *storeIndex {
	x := &storeIndex{entries: map[string]int{}, logf: func(string, ...any) {}}
	x.entryMu.Lock()
	if err := x.fillFromDisk(path); err != nil {
		return nil
	}
	x.entryMu.Unlock()
	openIndexes = append(openIndexes, x)
	return x
}

// Leaks: the index is published before the error path drops it with its lock held, and every
// later user of openIndexes blocks on it.
func newPublishedIndex(path string) *storeIndex {
	x := &storeIndex{entries: map[string]int{}, logf: func(string, ...any) {}}
	openIndexes = append(openIndexes, x)
	x.entryMu.Lock() // want "LS006"
	if err := x.fillFromDisk(path); err != nil {
		return nil
	}
	x.entryMu.Unlock()
	return x
}

// Leaks: a goroutine already given the index waits on its lock for ever.
func newWatchedIndex(path string) *storeIndex {
	x := &storeIndex{entries: map[string]int{}, logf: func(string, ...any) {}}
	go x.watchForChanges()
	x.entryMu.Lock() // want "LS006"
	if err := x.fillFromDisk(path); err != nil {
		return nil
	}
	x.entryMu.Unlock()
	return x
}

// Leaks: the error path hands the locked index to the caller with the error.
func newIndexOrPartial(path string) (*storeIndex, error) {
	x := &storeIndex{entries: map[string]int{}, logf: func(string, ...any) {}}
	x.entryMu.Lock() // want "LS006"
	if err := x.fillFromDisk(path); err != nil {
		return x, err
	}
	x.entryMu.Unlock()
	return x, nil
}

// Leaks: the index is not the function's own: it was handed in, and others hold it.
func refillIndex(x *storeIndex, path string) error {
	x.entryMu.Lock() // want "LS006"
	if err := x.fillFromDisk(path); err != nil {
		return errors.New("refill: " + err.Error())
	}
	x.entryMu.Unlock()
	return nil
}

// Leaks: a helper method keeps the receiver (registers it) before the error path drops it.
func (x *storeIndex) register() error {
	openIndexes = append(openIndexes, x)
	return nil
}

func newRegisteredIndex(path string) *storeIndex {
	x := &storeIndex{entries: map[string]int{}, logf: func(string, ...any) {}}
	x.entryMu.Lock() // want "LS006"
	if err := x.register(); err != nil {
		return nil
	}
	if err := x.fillFromDisk(path); err != nil {
		return nil
	}
	x.entryMu.Unlock()
	return x
}

// gatedIndex locks a gate it may share with other indexes.
type gatedIndex struct {
	gate    *sync.Mutex
	entries map[string]int
}

var indexGate sync.Mutex

// Leaks: the lock is the package's gate, handed to the new index: dropping the index does not
// drop the lock, and everything else that takes the gate waits for ever.
func newGatedIndex(path string) *gatedIndex {
	x := &gatedIndex{gate: &indexGate, entries: map[string]int{}}
	x.gate.Lock() // want "LS006"
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	x.gate.Unlock()
	return x
}

var unlockHooks []func()

// Leaks: the lock's own method is kept as a value before the error path drops the index; the
// hook locks the held mutex again and blocks for ever.
func newHookedIndex(path string) *storeIndex {
	x := &storeIndex{entries: map[string]int{}, logf: func(string, ...any) {}}
	unlockHooks = append(unlockHooks, x.entryMu.Lock)
	x.entryMu.Lock() // want "LS006"
	if err := x.fillFromDisk(path); err != nil {
		return nil
	}
	x.entryMu.Unlock()
	return x
}

var indexWatchers []func() *storeIndex

// Leaks: a closure that returns the index is kept before the error path drops it.
func newWatchableIndex(path string) *storeIndex {
	x := &storeIndex{entries: map[string]int{}, logf: func(string, ...any) {}}
	indexWatchers = append(indexWatchers, func() *storeIndex { return x })
	x.entryMu.Lock() // want "LS006"
	if err := x.fillFromDisk(path); err != nil {
		return nil
	}
	x.entryMu.Unlock()
	return x
}
