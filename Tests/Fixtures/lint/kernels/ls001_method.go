package main

import (
	"context"
	"errors"
)

// A resolver whose lookups run as methods started with `go r.lookup(…, out)`.
type resolver struct {
	table map[string]string
}

func (r *resolver) lookup(host string, out chan<- string) {
	out <- r.table[host] // want "LS001"
}

// Leaks: the caller gives up when ctx is done, and the lookup's send then blocks forever.
func (r *resolver) resolve(ctx context.Context, host string) (string, error) {
	addr := make(chan string)
	go r.lookup(host, addr)
	select {
	case a := <-addr:
		return a, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

type pinger struct{ name string }

func (p pinger) ping(done chan<- error) {
	done <- errors.New(p.name) // want "LS001"
}

// Leaks: a value receiver started from a local of the type; the caller returns on a bad
// argument before it receives.
func pingOnce(name string, tries int) error {
	p := pinger{name: name}
	done := make(chan error)
	go p.ping(done)
	if tries <= 0 {
		return errors.New("no tries")
	}
	return <-done
}

func (r *resolver) lookupBuffered(host string, out chan<- string) {
	out <- r.table[host]
}

// Fixed: one slot for the single send, so the lookup finishes even when nobody receives.
func (r *resolver) resolveBuffered(ctx context.Context, host string) (string, error) {
	addr := make(chan string, 1)
	go r.lookupBuffered(host, addr)
	select {
	case a := <-addr:
		return a, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (p pinger) pingChecked(done chan<- error) {
	done <- errors.New(p.name)
}

// Fixed: the argument is checked before the goroutine starts.
func pingChecked(name string, tries int) error {
	if tries <= 0 {
		return errors.New("no tries")
	}
	p := pinger{name: name}
	done := make(chan error)
	go p.pingChecked(done)
	return <-done
}
