package main

import (
	"context"
	"errors"
	"net/http"
	"time"
)

type conn struct{ id int }

func (c *conn) ping() {}

// Leaks, with low confidence since session 32: one never-ending goroutine per connection, forever;
// over a slice, a fixed set per call (only calling keepAlive again and again grows it).
func keepAlive(conns []*conn) {
	for _, c := range conns {
		go func() { // want "LS005" low
			for {
				c.ping()
				time.Sleep(time.Second)
			}
		}()
	}
}

func heartbeat(c *conn) {
	for {
		c.ping()
		time.Sleep(time.Second)
	}
}

// Leaks: the same through a named function.
func keepAliveNamed(conns []*conn) {
	for _, c := range conns {
		go heartbeat(c) // want "LS005" low
	}
}

// Fixed: each goroutine stops with the context.
func keepAliveUntil(ctx context.Context, conns []*conn) {
	for _, c := range conns {
		go func() {
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					c.ping()
				}
			}
		}()
	}
}

// Fixed: the loop has a way out.
func keepAliveBounded(conns []*conn) {
	for _, c := range conns {
		go func() {
			for i := 0; ; i++ {
				if i == 3 {
					break
				}
				c.ping()
			}
		}()
	}
}

// Fine: the function never returns, so one pinger per connection is the process's whole life.
func keepAliveForever(conns []*conn) {
	for _, c := range conns {
		go func() {
			for {
				c.ping()
				time.Sleep(time.Second)
			}
		}()
	}
	select {}
}

type pool struct{ conns []*conn }

// Leaks only if the pool is started again: Start runs once per pool, so one pinger per
// configured connection is a fixed set (low confidence; a Stop cannot end them).
func (p *pool) Start() {
	for _, c := range p.conns {
		go func() { // want "LS005" low
			for {
				c.ping()
				time.Sleep(time.Second)
			}
		}()
	}
}

// Leaks: Listen lives until its context ends, but its pingers do not: each call (a restart, a
// retry) leaves one more set behind.
func (p *pool) StartListening(ctx context.Context) {
	for _, c := range p.conns {
		go func() { // want "LS005" low
			for {
				c.ping()
				time.Sleep(time.Second)
			}
		}()
	}
	<-ctx.Done()
}

// Silent: the loop returns right after starting its first goroutine, one per call.
func keepFirstAlive(conns []*conn) {
	for _, c := range conns {
		go heartbeat(c)
		return
	}
}

// Leaks: the return is conditional, so the loop goes on starting goroutines.
func keepAliveUntilIdle(conns []*conn) {
	for _, c := range conns {
		go heartbeat(c) // want "LS005" low
		if c.id == 0 {
			return
		}
	}
}

// Leaks: a continue skips the return for every connection but those with id 0.
func keepAliveSkipping(conns []*conn) {
	for _, c := range conns {
		go heartbeat(c) // want "LS005" low
		if c.id != 0 {
			continue
		}
		return
	}
}

// Leaks: the break leaves the inner loop only; the outer one starts a goroutine per pool.
func keepFirstOfEachAlive(pools [][]*conn) {
	for len(pools) > 0 {
		for _, c := range pools[0] {
			go heartbeat(c) // want "LS005" low
			break
		}
		pools = pools[1:]
	}
}

// Low: set-up errors return before any pinger starts; once they run, the function never returns,
// so they leak only if the function itself is started again and again.
func keepAliveAfterCheck(conns []*conn) error {
	if len(conns) == 0 {
		return errors.New("no connections")
	}
	for _, c := range conns {
		go func() { // want "LS005" low
			for {
				c.ping()
				time.Sleep(time.Second)
			}
		}()
	}
	for {
		time.Sleep(time.Minute)
	}
}

// Leaks: a bad connection returns after earlier pingers started, and each call starts a new set.
func keepAliveUntilBad(conns []*conn) error {
	for _, c := range conns {
		if c.id < 0 {
			return errors.New("bad connection")
		}
		go func() { // want "LS005" low
			for {
				c.ping()
				time.Sleep(time.Second)
			}
		}()
	}
	for {
		time.Sleep(time.Minute)
	}
}

// Low: the function installs /kernel/pingers on the default mux, which panics on a second
// registration of the path, so it completes once per process: one pinger per connection of a
// fixed set.
func superviseConns(conns []*conn) {
	for _, c := range conns {
		go heartbeat(c) // want "LS005" low
	}
	http.HandleFunc("/kernel/pingers", func(w http.ResponseWriter, r *http.Request) {})
}

// Leaks: the same pingers, but the path goes on a mux of the call's own, which can be made again
// and again, and so can the pingers.
func superviseConnsOn(conns []*conn) *http.ServeMux {
	for _, c := range conns {
		go heartbeat(c) // want "LS005" low
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/kernel/pingers", func(w http.ResponseWriter, r *http.Request) {})
	return mux
}

// Leaks: a call without connections returns before the registration, so it can run any number of
// times, and a call with some may have run before it.
func superviseConnsIfAny(conns []*conn, ready func() bool) {
	for _, c := range conns {
		go heartbeat(c) // want "LS005" low
	}
	if !ready() {
		return
	}
	http.HandleFunc("/kernel/ready-pingers", func(w http.ResponseWriter, r *http.Request) {})
}

// Leaks: started once, but every tick starts a pinger per connection discovered, so the set grows.
func pollConns(ctx context.Context, discover func() []*conn) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			for _, c := range discover() {
				go heartbeat(c) // want "LS005" low
			}
		}
	}
}
