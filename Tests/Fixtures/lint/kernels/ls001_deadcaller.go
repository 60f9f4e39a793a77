package main

import (
	"errors"
	"log"
	"time"
)

// Low: startOnce reaches it once, through startHelperLogged; its other caller, startHelper, is
// named nowhere, so it never runs (reclient's bootstrap `startProxy`, session 39).
func spawnHelper(run func() error) error {
	done := make(chan error)
	go func() {
		done <- run() // want "LS001" low
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("helper did not start in time")
	}
}

func startHelper(run func() error) error { return spawnHelper(run) }

func startHelperLogged(run func() error) error {
	err := spawnHelper(run)
	if err != nil {
		log.Printf("helper: %v", err)
	}
	return err
}

// Leaks: the same, but its other caller runs: restartWorkers calls it once per worker, and
// every worker that does not start in time strands a goroutine.
func spawnWorker(run func() error) error {
	done := make(chan error)
	go func() {
		done <- run() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("worker did not start in time")
	}
}

func startWorker(run func() error) error { return spawnWorker(run) }

func restartWorkers(runs []func() error) {
	for _, run := range runs {
		_ = startWorker(run)
	}
}

func startWorkerLogged(run func() error) error {
	err := spawnWorker(run)
	if err != nil {
		log.Printf("worker: %v", err)
	}
	return err
}

// Leaks: its other caller is called nowhere either, but it is used as a value (kept in
// relayStarters), and a function kept may run any number of times.
func spawnRelay(run func() error) error {
	done := make(chan error)
	go func() {
		done <- run() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("relay did not start in time")
	}
}

var relayStarters []func(func() error) error

func keepRelayStarter() { relayStarters = append(relayStarters, startRelay) }

func startRelay(run func() error) error { return spawnRelay(run) }

func startRelayLogged(run func() error) error {
	err := spawnRelay(run)
	if err != nil {
		log.Printf("relay: %v", err)
	}
	return err
}

// startHelpers is what startOnce does for the helpers: each once.
func startHelpers() {
	run := func() error { return nil }
	_ = startHelperLogged(run)
	_ = startWorkerLogged(run)
	restartWorkers([]func() error{run})
	_ = startRelayLogged(run)
	keepRelayStarter()
}
