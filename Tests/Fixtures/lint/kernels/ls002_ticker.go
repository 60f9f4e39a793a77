package main

import "time"

// Leaks: the ticker is never stopped.
func pollForever(stop <-chan struct{}, poll func()) {
	t := time.NewTicker(time.Second) // want "LS002"
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			poll()
		}
	}
}

// Leaks: the ticker behind .C cannot be stopped at all.
func pollInline(stop <-chan struct{}, poll func()) {
	c := time.NewTicker(time.Second).C // want "LS002"
	for {
		select {
		case <-stop:
			return
		case <-c:
			poll()
		}
	}
}

// Fixed.
func pollStopped(stop <-chan struct{}, poll func()) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			poll()
		}
	}
}

// Fixed: the caller owns the ticker.
func newPoller() *time.Ticker {
	t := time.NewTicker(time.Second)
	return t
}
