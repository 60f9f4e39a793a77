package main

import (
	"context"
	"strings"
	"time"
)

// A reply sender declared as a function and started with `go priceOf(…, out)`.
func priceOf(item int, out chan<- int) {
	out <- item * 3 // want "LS001"
}

// Leaks: the channel is unbuffered when strict is set (made again under the condition), the
// sender is a declared function, and the timeout case ends the exchange without receiving.
func firstPrice(items []int, strict bool) int {
	prices := make(chan int, len(items))
	if strict {
		prices = make(chan int)
	}
	for _, item := range items {
		go priceOf(item, prices)
	}
	timeout := time.NewTimer(10 * time.Millisecond)
	defer timeout.Stop()
	price := -1
	select {
	case price = <-prices:
	case <-timeout.C:
		price = 0
	}
	return price
}

func upperOf(key string, found chan<- string) {
	found <- strings.ToUpper(key) // want "LS001"
}

// Leaks: the capacity is 0 unless hedging, and the caller returns on timeout.
func firstUpper(keys []string, hedge bool) string {
	size := 0
	if hedge {
		size = len(keys)
	}
	found := make(chan string, size)
	for _, key := range keys {
		go upperOf(key, found)
	}
	select {
	case v := <-found:
		return v
	case <-time.After(10 * time.Millisecond):
		return ""
	}
}

func priceOfBuffered(item int, out chan<- int) {
	out <- item * 3
}

// Fixed: room for every reply, whatever the caller takes.
func firstPriceBuffered(items []int) int {
	prices := make(chan int, len(items))
	for _, item := range items {
		go priceOfBuffered(item, prices)
	}
	timeout := time.NewTimer(10 * time.Millisecond)
	defer timeout.Stop()
	price := -1
	select {
	case price = <-prices:
	case <-timeout.C:
		price = 0
	}
	return price
}

func upperOfWatching(ctx context.Context, key string, found chan<- string) {
	select {
	case found <- strings.ToUpper(key):
	case <-ctx.Done():
	}
}

// Fixed: the sender also gives up when the caller's context ends.
func firstUpperWatching(keys []string) string {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	found := make(chan string)
	for _, key := range keys {
		go upperOfWatching(ctx, key, found)
	}
	select {
	case v := <-found:
		return v
	case <-time.After(10 * time.Millisecond):
		return ""
	}
}

func priceOfDrained(item int, out chan<- int) {
	out <- item * 3
}

// Fixed: a case that only counts a tick does not stop the receiver; it still takes every reply.
func allPrices(items []int, ticks <-chan time.Time) int {
	prices := make(chan int)
	for _, item := range items {
		go priceOfDrained(item, prices)
	}
	total := 0
	for received := 0; received < len(items); {
		select {
		case p := <-prices:
			total += p
			received++
		case <-ticks:
			total--
		}
	}
	return total
}

func readMessages(next func() (string, error), messages chan<- string, errs chan<- error) {
	for {
		m, err := next()
		if err != nil {
			errs <- err
			return
		}
		messages <- m
	}
}

// Fixed: the receiving loop returns only after taking the reader's error, its last send.
func serveMessages(next func() (string, error)) int {
	messages := make(chan string)
	errs := make(chan error)
	go readMessages(next, messages, errs)
	count := 0
	for {
		select {
		case <-messages:
			count++
		case <-errs:
			return count
		}
	}
}
