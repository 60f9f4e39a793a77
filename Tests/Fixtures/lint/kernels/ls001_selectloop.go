package main

import (
	"context"
	"time"
)

// Fine: the ticker goroutine loops until it takes the one stop value, so the sender's
// single send always finds it, even after mergeEvents has returned.
func mergeEvents(ctx context.Context, events <-chan string, out chan string) chan string {
	stop := make(chan struct{})
	ticker := time.NewTicker(time.Second)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-ticker.C:
				out <- "tick"
			}
		}
	}()
	go func() {
		for {
			select {
			case e, ok := <-events:
				if !ok {
					ticker.Stop()
					stop <- struct{}{}
					return
				}
				out <- e
			case <-ctx.Done():
				ticker.Stop()
				stop <- struct{}{}
				close(out)
				return
			}
		}
	}()
	return out
}

// Leaks: the watcher also leaves on ctx.Done(), and the feeder, still reading events, then
// blocks on its stop send once watchEvents has returned.
func watchEvents(ctx context.Context, events <-chan string, out chan string) chan string {
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
				out <- "idle"
			}
		}
	}()
	go func() {
		for e := range events {
			out <- e
		}
		stop <- struct{}{} // want "LS001"
	}()
	return out
}
