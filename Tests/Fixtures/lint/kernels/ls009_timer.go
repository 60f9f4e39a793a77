package main

import "time"

// Leaks: a new timer per message, kept until it fires (before Go 1.23).
func idleTimeout(msgs <-chan string, handle func(string)) {
	for {
		select {
		case m := <-msgs:
			handle(m)
		case <-time.After(time.Minute): // want "LS009"
			return
		}
	}
}

// Leaks: a new, never-stopped ticker per iteration.
func throttle(items []string, handle func(string)) {
	for _, it := range items {
		<-time.Tick(time.Millisecond) // want "LS009"
		handle(it)
	}
}

// Fixed: one timer, reset per message.
func idleTimeoutFixed(msgs <-chan string, handle func(string)) {
	idle := time.NewTimer(time.Minute)
	defer idle.Stop()
	for {
		select {
		case m := <-msgs:
			handle(m)
			idle.Reset(time.Minute)
		case <-idle.C:
			return
		}
	}
}

// Fixed: a single time.After outside any loop.
func waitOnce(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	case <-time.After(time.Second):
		return false
	}
}

const flushEvery = 10 * time.Millisecond

// Leaks, with low confidence: a timer per message, but each one is collected 10 ms later, so
// the loop holds at most the messages of the last 10 ms.
func batchFlush(msgs <-chan string, handle func(string), flush func()) {
	for {
		select {
		case m := <-msgs:
			handle(m)
		case <-time.After(flushEvery): // want "LS009" low
			flush()
		}
	}
}

// pollEvery is a package variable nothing assigns again: as constant as flushEvery.
var pollEvery = 20 * time.Millisecond

// Leaks, with low confidence: as batchFlush, with the interval in a variable nobody changes.
func pollLoop(msgs <-chan string, handle func(string), poll func()) {
	for {
		select {
		case m := <-msgs:
			handle(m)
		case <-time.After(pollEvery): // want "LS009" low
			poll()
		}
	}
}

// idleEvery starts short, but configure may make it an hour.
var idleEvery = 20 * time.Millisecond

func configure(idle time.Duration) { idleEvery = idle }

// Leaks when configure sets an hour: a timer per message, each kept for however long idleEvery
// was set to. A duration that is not a constant is low confidence (short in every first-pass case).
func idleLoop(msgs <-chan string, handle func(string)) {
	for {
		select {
		case m := <-msgs:
			handle(m)
		case <-time.After(idleEvery): // want "LS009" low
			return
		}
	}
}
