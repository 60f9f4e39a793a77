package main

import (
	"errors"
	"os"
	"time"
)

// watchConfig reports the first change of the file, or an error.
func watchConfig(path string, changes chan<- error) {
	if _, err := os.Stat(path); err != nil {
		changes <- err // want "LS001"
		return
	}
	changes <- nil
}

// Leaks: a library-style function that can return before it receives from the watcher.
func serveOnce(path string, ready bool) error {
	changes := make(chan error)
	go watchConfig(path, changes)
	if !ready {
		return errors.New("not ready")
	}
	return <-changes
}

func watchConfigForRun(path string, changes chan<- error) {
	changes <- errors.New(path)
}

// Fixed: run is main's last act, so its early return ends the process and the blocked
// watcher with it.
func run() error {
	// Fine (LS005): one pinger per configured peer, started once by the function whose return
	// ends the process.
	for _, peer := range []*conn{{id: 1}, {id: 2}} {
		go func() {
			for {
				peer.ping()
				time.Sleep(time.Second)
			}
		}()
	}
	changes := make(chan error)
	go watchConfigForRun("config.yaml", changes)
	if len(os.Args) > 2 {
		return errors.New("too many arguments")
	}
	return <-changes
}

// Leaks: nothing receives after the early return.
func collect(n int) error {
	results := make(chan error)
	go func() {
		results <- errors.New("done") // want "LS001"
	}()
	if n == 0 {
		return nil
	}
	return <-results
}

// Silent: the deferred close makes a late send panic (a crash that tests show at once)
// instead of blocking for good; LS001 is about goroutines that stay blocked.
func collectClosed(n int) error {
	results := make(chan error)
	defer close(results)
	go func() {
		results <- errors.New("done")
	}()
	if n == 0 {
		return nil
	}
	return <-results
}
