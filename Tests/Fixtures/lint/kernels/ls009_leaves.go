package main

import (
	"context"
	"time"
)

// Leaks: the default case spins the loop, so every pass makes a timer that is never taken.
func pollUntilStopped(stop <-chan struct{}, poll func()) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(time.Second): // want "LS009"
			poll()
		default:
			poll()
		}
	}
}

// Silent: every pass either takes the timer or leaves the loop, so at most one timer is pending.
func retryWithBackoff(ctx context.Context, attempt func() error) error {
	for i := 0; ; i++ {
		if err := attempt(); err == nil {
			return nil
		}
		select {
		case <-time.After(time.Duration(i) * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
