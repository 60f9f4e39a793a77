package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"
)

// Silent: the reader closes done once it has sent its last line, so the loop's <-done case is
// taken only after every line was received.
func echoLines(r io.Reader, w io.Writer) {
	done := make(chan struct{})
	lines := make(chan string)
	s := bufio.NewScanner(r)
	go func() {
		defer close(done)
		for s.Scan() {
			lines <- s.Text()
		}
	}()
	for {
		select {
		case <-done:
			return
		case l := <-lines:
			fmt.Fprintln(w, l)
		}
	}
}

// Silent: the same with the close after the reading loop.
func countWords(r io.Reader) int {
	finished := make(chan struct{})
	words := make(chan string)
	s := bufio.NewScanner(r)
	s.Split(bufio.ScanWords)
	go func() {
		for s.Scan() {
			words <- s.Text()
		}
		close(finished)
	}()
	n := 0
	for {
		select {
		case <-finished:
			return n
		case <-words:
			n++
		}
	}
}

// Leaks: another goroutine closes the give-up channel, so the loop can leave while the reader
// waits to send its next line.
func echoLinesFor(r io.Reader, w io.Writer, d time.Duration) {
	expired := make(chan struct{})
	lines := make(chan string)
	s := bufio.NewScanner(r)
	go func() {
		for s.Scan() {
			lines <- s.Text() // want "LS001"
		}
	}()
	go func() {
		time.Sleep(d)
		close(expired)
	}()
	for {
		select {
		case <-expired:
			return
		case l := <-lines:
			fmt.Fprintln(w, l)
		}
	}
}

// Leaks: the reader closes done after its last line, but the select takes one line and returns;
// the reader then waits to send the second forever.
func firstScannedLine(r io.Reader) (string, bool) {
	done := make(chan struct{})
	lines := make(chan string)
	go func() {
		defer close(done)
		s := bufio.NewScanner(r)
		for s.Scan() {
			lines <- s.Text() // want "LS001"
		}
	}()
	select {
	case <-done:
		return "", false
	case l := <-lines:
		return l, true
	}
}

// Leaks: two readers share lines, and only the first closes done; when it does, the loop
// returns and the second reader, the one reported, waits to send forever.
func echoBoth(a, b io.Reader, w io.Writer) {
	done := make(chan struct{})
	lines := make(chan string)
	go func() {
		defer close(done)
		s := bufio.NewScanner(a)
		for s.Scan() {
			lines <- s.Text()
		}
	}()
	go func() {
		s := bufio.NewScanner(b)
		for s.Scan() {
			lines <- s.Text() // want "LS001"
		}
	}()
	for {
		select {
		case <-done:
			return
		case l := <-lines:
			fmt.Fprintln(w, l)
		}
	}
}

// Silent: the worker either reports its error and returns, or closes ready; the select takes
// whichever happened, and a closed ready means no error is coming (graphql-go-tools' websocket
// handler).
func readyOrFailed(start func() error) error {
	ready := make(chan struct{})
	failed := make(chan error)
	go func() {
		if err := start(); err != nil {
			failed <- err
			return
		}
		close(ready)
	}()
	select {
	case err := <-failed:
		return err
	case <-ready:
		return nil
	}
}

// Silent: the same worker as a declared function handed both channels.
func readyOrFailedDeclared(start func() error) error {
	ready := make(chan struct{})
	failed := make(chan error)
	go startAndReport(ready, failed, start)
	select {
	case err := <-failed:
		return err
	case <-ready:
		return nil
	}
}

func startAndReport(ready chan struct{}, failed chan error, start func() error) {
	if err := start(); err != nil {
		failed <- err // want "LS001"
		return
	}
	close(ready)
}

// Leaks: ready is closed before the error is sent, so the select can take ready and return
// while the worker waits to send its error forever.
func readyThenFailed(start, check func() error) error {
	ready := make(chan struct{})
	failed := make(chan error)
	go func() {
		if err := start(); err != nil {
			failed <- err // want "LS001"
			return
		}
		close(ready)
		failed <- check()
	}()
	select {
	case err := <-failed:
		return err
	case <-ready:
		return nil
	}
}

// Leaks: the worker sends a warning and then a result before closing ready; the select takes
// the warning and returns, and the second send waits forever.
func warnThenReady(start func() error, warn error) error {
	ready := make(chan struct{})
	failed := make(chan error)
	go func() {
		failed <- warn // want "LS001"
		failed <- start()
		close(ready)
	}()
	select {
	case err := <-failed:
		return err
	case <-ready:
		return nil
	}
}

// Leaks: the declared worker's ready channel is also closed by a timer the function starts, so
// ready can be closed while the worker still waits to report.
func readyOrFailedTimed(start func() error, d time.Duration) error {
	ready := make(chan struct{})
	failed := make(chan error)
	go startAndReport(ready, failed, start)
	time.AfterFunc(d, func() { close(ready) })
	select {
	case err := <-failed:
		return err
	case <-ready:
		return nil
	}
}

func reportTo(failed chan<- error, err error) { failed <- err }

// Leaks: after closing ready the worker reports a later error through a helper; the select has
// taken ready and returned (review: a send the sender's own statements do not show).
func readyThenReported(start, serve func() error) error {
	ready := make(chan struct{})
	failed := make(chan error)
	go func() {
		if err := start(); err != nil {
			failed <- err // want "LS001"
			return
		}
		close(ready)
		reportTo(failed, serve())
	}()
	select {
	case err := <-failed:
		return err
	case <-ready:
		return nil
	}
}

// Leaks: a goto retries the start, so the worker's one send statement can run twice, and the
// select takes only the first error.
func retriedUntilReady(start func() error, tries int) error {
	ready := make(chan struct{})
	failed := make(chan error)
	go func() {
		n := 0
	retry:
		if err := start(); err != nil {
			failed <- err // want "LS001"
			if n++; n < tries {
				goto retry
			}
			return
		}
		close(ready)
	}()
	select {
	case err := <-failed:
		return err
	case <-ready:
		return nil
	}
}

// Leaks: one worker per start function, all closing the same ready: once one closes it the
// select returns, and a failing one waits to send its error forever.
func anyReady(starts []func() error) error {
	ready := make(chan struct{})
	failed := make(chan error)
	for _, start := range starts {
		go func() {
			if err := start(); err != nil {
				failed <- err // want "LS001"
				return
			}
			close(ready)
		}()
	}
	select {
	case err := <-failed:
		return err
	case <-ready:
		return nil
	}
}

// Leaks: the caller waits only when asked to; otherwise it returns at once and a failing start
// waits to send its error forever (review: a select under a condition is not the only way on).
func readyIfWaiting(start func() error, wait bool) error {
	ready := make(chan struct{})
	failed := make(chan error)
	go func() {
		if err := start(); err != nil {
			failed <- err // want "LS001"
			return
		}
		close(ready)
	}()
	if wait {
		select {
		case err := <-failed:
			return err
		case <-ready:
			return nil
		}
	}
	return nil
}

// Leaks: a watchdog also sends on failed; the select takes its value and returns, and a start
// that fails later waits forever.
func readyOrWatchdog(start func() error, d time.Duration) error {
	ready := make(chan struct{})
	failed := make(chan error)
	go func() {
		if err := start(); err != nil {
			failed <- err // want "LS001"
			return
		}
		close(ready)
	}()
	go func() {
		time.Sleep(d)
		select {
		case failed <- errTimedOut:
		default:
		}
	}()
	select {
	case err := <-failed:
		return err
	case <-ready:
		return nil
	}
}

var errTimedOut = errors.New("timed out")
