package main

import (
	"context"
	"fmt"
	"net/http"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"
)

// The growing leaks: a request handler that abandons its backend call on a
// timeout (the backend then blocks forever sending its result), and
// subscribers that wait on a channel reachable from a global.

const (
	requestsPerRound    = 40
	subscribersPerRound = 10
)

var (
	stuckBackends atomic.Int64 // backends blocked sending, known exactly
	subscriptions = struct {
		sync.Mutex
		updates chan string // reachable from this global; never sent on or closed
	}{updates: make(chan string)}
)

// handleWork waits 1 ms for its backend, then returns: the backend, which
// takes 20 ms, is left sending on an unbuffered channel nobody reads.
func handleWork(w http.ResponseWriter, r *http.Request) {
	pprof.Do(r.Context(), pprof.Labels("handler", "/work"), func(ctx context.Context) {
		result := make(chan string)
		pending.Add(1)
		go fetchBackend(result)
		select {
		case v := <-result:
			fmt.Fprintln(w, v)
		case <-time.After(time.Millisecond):
			http.Error(w, "timeout", http.StatusGatewayTimeout)
		}
	})
}

func fetchBackend(result chan<- string) {
	time.Sleep(20 * time.Millisecond)
	stuckBackends.Add(1)
	park()
	result <- "data"
	stuckBackends.Add(-1) // only when the handler was still waiting
}

func watchConfig() {
	park()
	for range subscriptions.updates {
	}
}

type grower struct {
	base string
}

func newGrower(base string) *grower { return &grower{base: base} }

// grow adds one round of each leak plus some healthy traffic.
func (g *grower) grow(round int) {
	var wg sync.WaitGroup
	for c := 0; c < 4; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < requestsPerRound/4; i++ {
				resp, err := keepAliveClient.Get(g.base + "/work")
				if err != nil {
					fail(err)
				}
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	pending.Add(subscribersPerRound)
	for i := 0; i < subscribersPerRound; i++ {
		go watchConfig()
	}
	traffic(g.base, 10)
	settle()

	registryMu.Lock()
	defer registryMu.Unlock()
	note := func(function, kind, state string, count int, labels map[string]string) {
		grp := registry[function]
		if grp == nil {
			grp = &group{Function: function, Kind: kind, State: state, Leak: true, Labels: labels}
			registry[function] = grp
		}
		grp.Count = count
		grp.Counts = append(grp.Counts, count)
	}
	note("main.fetchBackend", "chanSend", "chan send", int(stuckBackends.Load()), map[string]string{"handler": "/work"})
	note("main.watchConfig", "chanReceive", "chan receive", round*subscribersPerRound, nil)
}
