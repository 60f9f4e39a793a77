package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

// Healthy long-lived shapes: an HTTP server's accept loop and its idle
// keep-alive connections, a signal watcher, a timer, a worker pool parked on
// a shared live queue and a ticker loop with a stop channel.

// service holds the live state the healthy goroutines wait on.
type service struct {
	queue chan func() // shared by the pool, owned by the live service
	stop  chan struct{}
	mu    sync.Mutex
	done  int
}

var live *service

const poolSize = 8

// keepAliveClient keeps poolSize idle connections to our own server.
var keepAliveClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

func startHealthy(listener net.Listener, base string) {
	live = &service{queue: make(chan func()), stop: make(chan struct{})}
	mux := http.DefaultServeMux
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		done := make(chan struct{})
		live.queue <- func() { close(done) } // a pool worker serves it
		<-done
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/work", handleWork)
	go http.Serve(listener, mux)

	pending.Add(poolSize)
	pprof.Do(context.Background(), pprof.Labels("pool", "render"), func(context.Context) {
		for i := 0; i < poolSize; i++ {
			go live.worker()
		}
	})
	record("main.(*service).worker", "chanReceive", "chan receive", poolSize, false, map[string]string{"pool": "render"})

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGUSR1)
	spawn("main.watchSignals", "chanReceive", "chan receive", 1, false, nil, func() { watchSignals(signals) })
	spawn("main.(*service).tickerLoop", "select", "select", 1, false, nil, live.tickerLoop)
	spawn("main.(*service).expireSessions", "chanReceive", "chan receive", 1, false, nil, live.expireSessions)
	spawn("main.(*service).flushEvery", "sleep", "sleep", 1, false, nil, live.flushEvery)

	// Open several keep-alive connections at once, then leave them idle.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			get(keepAliveClient, base+"/ok")
		}()
	}
	wg.Wait()
}

func get(client *http.Client, url string) {
	resp, err := client.Get(url)
	if err != nil {
		fail(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// worker is one of a pool parked on the service's queue.
func (s *service) worker() {
	park()
	for job := range s.queue {
		job()
		s.mu.Lock()
		s.done++
		s.mu.Unlock()
	}
}

func watchSignals(c <-chan os.Signal) {
	park()
	for range c {
	}
}

// tickerLoop does periodic work until the service stops.
func (s *service) tickerLoop() {
	ticker := time.NewTicker(time.Hour)
	defer ticker.Stop()
	park()
	for {
		select {
		case <-ticker.C:
		case <-s.stop:
			return
		}
	}
}

// expireSessions waits for a long timer.
func (s *service) expireSessions() {
	t := time.NewTimer(time.Hour)
	park()
	<-t.C
}

// flushEvery sleeps between flushes.
func (s *service) flushEvery() {
	park()
	for {
		time.Sleep(time.Hour)
	}
}

// traffic sends a few requests the pool serves; they come and go.
func traffic(base string, n int) {
	for i := 0; i < n; i++ {
		get(keepAliveClient, base+"/ok")
	}
}
