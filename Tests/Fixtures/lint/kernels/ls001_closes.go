package main

import (
	"bufio"
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
