package main

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"leakscope.test/detect/internal/queue"
)

// The leak shapes tuned on. Each leaks on some requests only; the rest of the traffic is healthy.

func init() {
	register(&shape{name: "timeout-sender", leak: true, responsible: "main.fetchWithTimeout",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) { fetchWithTimeout(n) }})
	register(&shape{name: "range-unclosed", leak: true, responsible: "main.streamItems",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) { streamItems(n) }})
	register(&shape{name: "ticker-forever", leak: true, responsible: "main.watchStatus",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%5 == 0 {
				watchStatus()
			}
		}})
	register(&shape{name: "unclosed-body", leak: true, responsible: "main.callBackend",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) { callBackend(s, n) }})
	register(&shape{name: "mutex-held-blocking", leak: true, responsible: "main.refreshCache",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%4 == 0 {
				go refreshCache(n)
			}
		}})
	register(&shape{name: "waitgroup-never-done", leak: true, responsible: "main.gatherShards",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%4 == 0 {
				go gatherShards(n)
			}
		}})
	register(&shape{name: "context-never-cancelled", leak: true, responsible: "main.startSession",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%4 == 0 {
				startSession()
			}
		}})
	register(&shape{name: "producer-no-consumer", leak: true, responsible: "main.produceBatch",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%4 == 0 {
				firstOfBatch()
			}
		}})
	register(&shape{name: "select-no-done", leak: true, responsible: "main.relayEvents",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%4 == 0 {
				go relayEvents(make(chan int), make(chan string))
			}
		}})
	register(&shape{name: "cond-never-signalled", leak: true, responsible: "main.awaitReady",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%4 == 0 {
				go awaitReady(newGate())
			}
		}})
	register(&shape{name: "split-two-lines", leak: true, responsible: "main.lookupAsync",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%4 == 0 {
				lookupAsync(n)
			}
		}})
	register(&shape{name: "slow-helper", leak: true, responsible: "main.publishAudit",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) { maybeAudit() }})
	register(&shape{name: "rwmutex-recursive", leak: true, responsible: "main.readConfig",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%4 == 0 {
				go readConfig(n)
			}
		}})
	register(&shape{name: "busy-timeout-sender", leak: true, responsible: "main.fetchFromSlowReplica",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) { fetchFromSlowReplica(n) }})
}

// fetchWithTimeout gives up after a deadline; the worker's send then has no receiver.
func fetchWithTimeout(n int64) int {
	result := make(chan int)
	go func() {
		if n%3 == 0 {
			time.Sleep(2 * time.Millisecond)
		}
		result <- int(n)
	}()
	select {
	case v := <-result:
		return v
	case <-time.After(time.Millisecond):
		return -1
	}
}

// fetchFromSlowReplica waits 40 ms for a worker whose answer takes 30 ms, or 60 ms on every third
// request; those late sends have no receiver. Requests spend most of their time here, so a dump
// finds most kept-alive connections' goroutines running this function again for a later request.
func fetchFromSlowReplica(n int64) int {
	result := make(chan int)
	go func() {
		delay := 30 * time.Millisecond
		if n%3 == 0 {
			delay = 60 * time.Millisecond
		}
		time.Sleep(delay)
		result <- int(n)
	}()
	select {
	case v := <-result:
		return v
	case <-time.After(40 * time.Millisecond):
		return -1
	}
}

// streamItems hands items to a consumer that ranges over a channel nobody closes.
func streamItems(n int64) {
	if n%4 != 0 {
		return
	}
	items := make(chan int)
	go func() {
		sum := 0
		for v := range items {
			sum += v
		}
		_ = sum
	}()
	for i := 0; i < 3; i++ {
		items <- i
	}
}

// watchStatus starts a poller with a ticker and no way to stop it.
func watchStatus() {
	go func() {
		t := time.NewTicker(time.Hour)
		polls := 0
		for {
			select {
			case <-t.C:
				polls++
			}
		}
	}()
}

// callBackend reads the status and forgets the body: the connection stays busy forever.
func callBackend(s *service, n int64) {
	if n%4 != 0 {
		return
	}
	resp, err := http.Get(s.backend + "/item")
	if err != nil {
		return
	}
	_ = resp.StatusCode
}

var cache struct {
	mu      sync.Mutex
	stalled atomic.Bool
	value   int64
}

var never = make(chan int)

// refreshCache holds the lock across a call that blocks forever once; every later refresh
// waits for the lock.
func refreshCache(n int64) {
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if n > 40 && cache.stalled.CompareAndSwap(false, true) {
		cache.value = int64(<-never)
	}
	cache.value = n
}

// gatherShards waits for shard workers, one of which returns early without Done.
func gatherShards(n int64) {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			if i == 2 {
				return
			}
			defer wg.Done()
		}(i)
	}
	wg.Wait()
}

// startSession watches a context that nobody ever cancels.
func startSession() {
	ctx, cancel := context.WithCancel(context.Background())
	_ = cancel
	go func() {
		<-ctx.Done()
	}()
}

// firstOfBatch takes the first item and walks away from the producer.
func firstOfBatch() int {
	out := make(chan int)
	go produceBatch(out)
	return <-out
}

func produceBatch(out chan<- int) {
	for i := 0; i < 4; i++ {
		out <- i
	}
	close(out)
}

// relayEvents waits on two channels that never fire, with no done case.
func relayEvents(events chan int, updates chan string) {
	for {
		select {
		case v := <-events:
			_ = v
		case u := <-updates:
			_ = u
		}
	}
}

type gate struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready bool
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// awaitReady waits for a signal nobody sends.
func awaitReady(g *gate) {
	g.mu.Lock()
	for !g.ready {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// lookupAsync hands its result over one of two channels; the caller reads neither.
func lookupAsync(n int64) {
	results := make(chan int)
	errs := make(chan error)
	go func() {
		if n%8 == 0 {
			errs <- errors.New("not found")
			return
		}
		results <- int(n)
	}()
}

var lastAudit atomic.Int64

// maybeAudit publishes an audit record a few times a second through a helper queue nobody
// consumes: a slow leak, about one goroutine per interval.
func maybeAudit() {
	now := time.Now().UnixMilli()
	last := lastAudit.Load()
	if now-last < 150 || !lastAudit.CompareAndSwap(last, now) {
		return
	}
	go publishAudit(queue.New(), int(now))
}

func publishAudit(q *queue.Queue, v int) { q.Push(v) }

var config struct {
	mu      sync.RWMutex
	stalled atomic.Bool
}

// readConfig reads under the read lock; one reader blocks while holding it, a writer queues
// behind it, and every later reader queues behind the writer.
func readConfig(n int64) {
	config.mu.RLock()
	defer config.mu.RUnlock()
	if n > 40 && config.stalled.CompareAndSwap(false, true) {
		go func() {
			config.mu.Lock()
			config.mu.Unlock()
		}()
		<-never
	}
}
