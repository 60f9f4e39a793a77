package main

import "errors"

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
