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

// Silent: the loop runs while ctx lives, so taking ctx.Done ends it at its next check: at most
// one timer is ever pending (oryx's version query, retried every 3 minutes).
func queryUntilDone(ctx context.Context, query func() bool) {
	for ctx.Err() == nil {
		if query() {
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(3 * time.Minute):
		}
	}
}

// Leaks: the loop's condition is another context's, so the case taken on this one's end goes
// round again and leaves its 3-minute timer pending, once per turn.
func queryUntilOtherDone(ctx, run context.Context, query func() bool) {
	for run.Err() == nil {
		if query() {
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(3 * time.Minute): // want "LS009"
		}
	}
}

// Leaks: the context the case waits on is a per-turn one of the same name, which ends every
// second while the loop's goes on: an hour-long timer is left per turn.
func pollWithDeadline(ctx context.Context, poll func(context.Context)) {
	for ctx.Err() == nil {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		poll(ctx)
		select {
		case <-time.After(time.Hour): // want "LS009"
		case <-ctx.Done():
		}
		cancel()
	}
}
