package main

import (
	"errors"
	"time"
)

func purge(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	return nil
}

// purgeEach receives names and sends one result per name; it stops receiving while nobody
// takes its result.
func purgeEach(names <-chan string) <-chan error {
	results := make(chan error)
	go func() {
		defer close(results)
		for n := range names {
			results <- purge(n)
		}
	}()
	return results
}

// Leaks: the names channel is handed to purgeEach in the range header; the loop returns on the
// first error, purgeEach blocks on its next result and stops receiving, and the feeder blocks.
func purgeAll(names []string) error {
	queue := make(chan string)
	go func() {
		defer close(queue)
		for _, n := range names {
			queue <- n // want "LS001"
		}
	}()
	for err := range purgeEach(queue) {
		if err != nil {
			return err
		}
	}
	return nil
}

// Fixed: the loop takes every result (keeping the first error), so purgeEach drains the names.
func purgeAllDrained(names []string) error {
	queue := make(chan string)
	go func() {
		defer close(queue)
		for _, n := range names {
			queue <- n
		}
	}()
	var first error
	for err := range purgeEach(queue) {
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

func load(path string) (int, error) {
	if path == "" {
		return 0, errors.New("no path")
	}
	return len(path), nil
}

// Leaks: the loader sends on exactly one of two channels and the select takes either, but the
// function can return on a failed check before it gets there; the loader then blocks.
func loadChecked(path string, check func() error) (int, error) {
	failed := make(chan error)
	loaded := make(chan int)
	go func() {
		n, err := load(path)
		if err != nil {
			failed <- err // want "LS001"
		} else {
			loaded <- n // want "LS001"
		}
	}()
	if err := check(); err != nil {
		return 0, err
	}
	select {
	case err := <-failed:
		return 0, err
	case n := <-loaded:
		return n, nil
	}
}

// Fixed: the select over both channels always takes the loader's one send.
func loadEither(path string) (int, error) {
	failed := make(chan error)
	loaded := make(chan int)
	go func() {
		n, err := load(path)
		if err != nil {
			failed <- err
		} else {
			loaded <- n
		}
	}()
	select {
	case err := <-failed:
		return 0, err
	case n := <-loaded:
		return n, nil
	}
}

// Leaks: the reader sends one line per loop and then its error; the caller leaves after the
// first line, so the reader's next send (line or error) blocks.
func firstLine(next func() (string, error)) (string, error) {
	lines := make(chan string)
	failed := make(chan error)
	go func() {
		for {
			line, err := next()
			if err != nil {
				failed <- err // want "LS001"
				return
			}
			lines <- line // want "LS001"
		}
	}()
	select {
	case err := <-failed:
		return "", err
	case line := <-lines:
		return line, nil
	}
}

// Fixed: the reader loops, but each of its sends is its last act (an error and return, or done
// at the end), so it sends once; the caller's select loop shows progress on every tick and
// returns only after taking that one send.
func readAllShowingProgress(next func() (string, error), tick <-chan time.Time, show func()) error {
	failed := make(chan error)
	done := make(chan bool)
	go func() {
		for {
			line, err := next()
			if err != nil {
				failed <- err
				return
			}
			if line == "" {
				break
			}
		}
		done <- true
	}()
	for {
		select {
		case <-tick:
			show()
		case err := <-failed:
			return err
		case <-done:
			return nil
		}
	}
}

// Silent: on timeout the waiter kills the job and leaves its one answer to a goroutine that
// drains it.
func waitOrKill(wait func() error, kill func(), timeout time.Duration) (error, bool) {
	done := make(chan error)
	go func() {
		done <- wait()
	}()
	select {
	case <-time.After(timeout):
		go func() {
			<-done
		}()
		kill()
		return nil, true
	case err := <-done:
		return err, false
	}
}

// Leaks: the same drain, but the job answers twice (its error, then its exit) and the drain takes
// one answer only.
func waitTwiceOrKill(wait func() error, exit func() error, kill func(), timeout time.Duration) (error, bool) {
	done := make(chan error)
	go func() {
		done <- wait() // want "LS001"
		done <- exit()
	}()
	select {
	case <-time.After(timeout):
		go func() {
			<-done
		}()
		kill()
		return nil, true
	case err := <-done:
		return err, false
	}
}
