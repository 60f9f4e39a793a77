package main

import (
	"context"
	"errors"
)

// A worker pool whose workers loop on a comma-ok receive instead of ranging (session 11).

func check(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	return nil
}

// Silent: each worker loops on `name, ok := <-queue` and leaves only once the feeder has closed
// the queue; the caller takes one answer per name, so every send of the feeder has a receiver.
func checkNames(names []string) error {
	queue := make(chan string)
	answers := make(chan error)
	for i := 0; i < 3; i++ {
		go func() {
			for {
				name, ok := <-queue
				if !ok {
					return
				}
				answers <- check(name)
			}
		}()
	}
	go func() {
		for _, name := range names {
			queue <- name
		}
		close(queue)
	}()
	var last error
	for range names {
		if err := <-answers; err != nil {
			last = err
		}
	}
	return last
}

// Silent: the same pool with the comma-ok receive as a select case and a labelled break.
func checkNamesSelect(names []string) error {
	queue := make(chan string)
	answers := make(chan error, len(names))
	go func() {
	loop:
		for {
			select {
			case name, ok := <-queue:
				if !ok {
					break loop
				}
				answers <- check(name)
			}
		}
	}()
	go func() {
		for _, name := range names {
			queue <- name
		}
		close(queue)
	}()
	for range names {
		if err := <-answers; err != nil {
			return err
		}
	}
	return nil
}

// Leaks: the worker also gives up on ctx.Done(), and the feeder's next send then has no receiver.
func checkNamesCtx(ctx context.Context, names []string) error {
	queue := make(chan string)
	answers := make(chan error, len(names))
	go func() {
		for {
			select {
			case name, ok := <-queue:
				if !ok {
					return
				}
				answers <- check(name)
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		for _, name := range names {
			queue <- name // want "LS001"
		}
		close(queue)
	}()
	for range names {
		select {
		case err := <-answers:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Leaks: the worker stops at the first empty name as well as at the close, and the caller
// returns on that first failure; the feeder blocks on the next name.
func firstBadName(names []string) error {
	queue := make(chan string)
	answers := make(chan error, 1)
	go func() {
		for {
			name, ok := <-queue
			if !ok || name == "" {
				answers <- errors.New("stopped")
				return
			}
		}
	}()
	go func() {
		for _, name := range names {
			queue <- name // want "LS001"
		}
		close(queue)
	}()
	return <-answers
}
