package main

import (
	"context"
	"errors"
	"time"
)

func compute() int { return 42 }

// Leaks: the timeout case returns and nobody receives the result.
func abandonedOnTimeout() int {
	ch := make(chan int)
	go func() {
		ch <- compute() // want "LS001"
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Millisecond):
		return -1
	}
}

// Leaks: cancellation wins the select and the worker blocks forever.
func abandonedOnCancel(ctx context.Context) (int, error) {
	results := make(chan int, 0)
	go func() {
		v := compute()
		results <- v // want "LS001"
	}()
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case v := <-results:
		return v, nil
	}
}

// Leaks: an early error return skips the receive.
func abandonedOnError(check func() error) (int, error) {
	done := make(chan int)
	go func() { done <- compute() }() // want "LS001"
	if err := check(); err != nil {
		return 0, err
	}
	return <-done, nil
}

// Fixed: a buffer of one lets the sender finish whoever wins.
func bufferedOnTimeout() int {
	ch := make(chan int, 1)
	go func() {
		ch <- compute()
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Millisecond):
		return -1
	}
}

// Fixed: the sender also watches the context.
func senderWatchesContext(ctx context.Context) (int, error) {
	results := make(chan int)
	go func() {
		select {
		case results <- compute():
		case <-ctx.Done():
		}
	}()
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case v := <-results:
		return v, nil
	}
}

// Fixed: the receive happens before any return.
func receiveFirst(check func() error) (int, error) {
	done := make(chan int)
	go func() { done <- compute() }()
	v := <-done
	if err := check(); err != nil {
		return 0, errors.Join(err)
	}
	return v, nil
}

// Fine: the result channel is queued on a long-lived writer's channel, which receives from it.
func queueResult(queue chan chan int, work func() int) {
	out := make(chan int)
	queue <- out
	go func() {
		out <- work()
	}()
}

// Fixed: the send is on the inner, buffered done, which shadows the outer, unbuffered one a
// closing goroutine uses.
func stopWithShadowedDone(wait func(), exit func() error) error {
	done := make(chan struct{})
	go func() {
		wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
	if exit != nil {
		done := make(chan error, 1)
		go func() {
			done <- exit()
		}()
		select {
		case err := <-done:
			return err
		case <-time.After(time.Second):
			return errors.New("exit timed out")
		}
	}
	return nil
}
