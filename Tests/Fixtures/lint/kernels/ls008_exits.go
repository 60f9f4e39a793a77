package main

import "os"

type exitEvent struct{ pid int }

// shim lives as long as its process: Shutdown ends it with os.Exit.
type shim struct {
	exits  chan exitEvent
	notices chan string
}

type publisher struct{ s *shim }

func newShim() *shim {
	s := &shim{exits: make(chan exitEvent, 32), notices: make(chan string, 32)}
	go s.reap()
	p := &publisher{s: s}
	go p.publish()
	return s
}

// Fixed in effect: the loop ends with the process, which Shutdown exits.
func (s *shim) reap() {
	for e := range s.exits { // want "LS008" low
		_ = e.pid
	}
}

// The same through the publisher's field.
func (p *publisher) publish() {
	for e := range p.s.notices { // want "LS008" low
		_ = e
	}
}

func (s *shim) Shutdown() {
	os.Exit(0)
}

// tailer's Close returns: the ranging goroutine outlives a closed tailer.
type tailer struct {
	tailed chan string
	done  bool
}

func (r *tailer) Close() { r.done = true }

// Leaks: Close does not end the process, and nothing closes tailed.
func (r *tailer) forward(use func(string)) {
	for l := range r.tailed { // want "LS008"
		use(l)
	}
}
