package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"time"
)

// A line reader whose goroutine checks the caller's context right before it sends, and whose
// caller gives up only when that context ends (xmtp's stream readers, docs/LINT.md session 34).

// Low: the sender is stranded only if ctx ends between its check and its send.
func nextLineGuarded(ctx context.Context, r *bufio.Reader) ([]byte, error) {
	lines := make(chan []byte)
	failures := make(chan error)
	go func() {
		line, err := r.ReadBytes('\n')
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			failures <- err // want "LS001" low
			return
		}
		lines <- line // want "LS001" low
	}()
	select {
	case line := <-lines:
		return line, nil
	case err := <-failures:
		return nil, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Low too: the guard is a select on ctx.Done() with a default case.
func nextLineGuardedBySelect(ctx context.Context, r *bufio.Reader) ([]byte, error) {
	lines := make(chan []byte)
	go func() {
		line, _ := r.ReadBytes('\n')
		select {
		case <-ctx.Done():
			return
		default:
		}
		lines <- line // want "LS001" low
	}()
	select {
	case line := <-lines:
		return line, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Leaks: no check before the send; every cancellation during the read strands the sender.
func nextLineUnguarded(ctx context.Context, r *bufio.Reader) ([]byte, error) {
	lines := make(chan []byte)
	go func() {
		line, _ := r.ReadBytes('\n')
		lines <- line // want "LS001"
	}()
	select {
	case line := <-lines:
		return line, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Leaks: the check comes before a wait, which leaves the window open for as long as it lasts.
func nextLineGuardedThenPaused(ctx context.Context, r *bufio.Reader) ([]byte, error) {
	lines := make(chan []byte)
	go func() {
		line, _ := r.ReadBytes('\n')
		if ctx.Err() != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
		lines <- line // want "LS001"
	}()
	select {
	case line := <-lines:
		return line, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Leaks: the caller also gives up on its own timer, which the sender's check knows nothing of.
func nextLineGuardedOrTimedOut(ctx context.Context, r *bufio.Reader) ([]byte, error) {
	lines := make(chan []byte)
	go func() {
		line, _ := r.ReadBytes('\n')
		if ctx.Err() != nil {
			return
		}
		lines <- line // want "LS001"
	}()
	select {
	case line := <-lines:
		return line, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(time.Second):
		return nil, errors.New("no line within a second")
	}
}

// Leaks: the sender checks another context than the one the caller gives up on.
func nextLineGuardedByParent(parent context.Context, r *bufio.Reader) ([]byte, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	lines := make(chan []byte)
	go func() {
		line, _ := r.ReadBytes('\n')
		if parent.Err() != nil {
			return
		}
		lines <- line // want "LS001"
	}()
	select {
	case line := <-lines:
		return line, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Leaks: work between the check and the send (a call) leaves the window open while it runs.
func nextLineGuardedThenShouted(ctx context.Context, r *bufio.Reader) ([]byte, error) {
	lines := make(chan []byte)
	go func() {
		line, _ := r.ReadBytes('\n')
		if ctx.Err() != nil {
			return
		}
		lines <- bytes.ToUpper(line) // want "LS001"
	}()
	select {
	case line := <-lines:
		return line, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Leaks: the sender sends line after line, and the caller leaves after the first.
func firstLineGuarded(ctx context.Context, r *bufio.Reader) ([]byte, error) {
	lines := make(chan []byte)
	go func() {
		for {
			line, err := r.ReadBytes('\n')
			if err != nil {
				return
			}
			if ctx.Err() != nil {
				return
			}
			lines <- line // want "LS001"
		}
	}()
	select {
	case line := <-lines:
		return line, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Leaks: the caller works before it waits; a context that ends meanwhile finds the sender
// already past its check, and the select may take either case.
func nextLineGuardedAfterWarmUp(ctx context.Context, r *bufio.Reader) ([]byte, error) {
	lines := make(chan []byte)
	go func() {
		line, _ := r.ReadBytes('\n')
		if ctx.Err() != nil {
			return
		}
		lines <- line // want "LS001"
	}()
	warmUp()
	select {
	case line := <-lines:
		return line, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func warmUp() { time.Sleep(time.Millisecond) }

// Leaks: the literal's own ctx is the parent, not the context the caller gives up on.
func nextLineGuardedByItsOwn(parent context.Context, r *bufio.Reader) ([]byte, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	lines := make(chan []byte)
	go func(ctx context.Context) {
		line, _ := r.ReadBytes('\n')
		if ctx.Err() != nil {
			return
		}
		lines <- line // want "LS001"
	}(parent)
	select {
	case line := <-lines:
		return line, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
