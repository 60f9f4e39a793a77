package main

import (
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Healthy services whose goroutine populations are large or long-lived by design.

func init() {
	register(&shape{name: "healthy-worker-pool",
		start: func(s *service) { startRenderers(s) },
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			select {
			case renderJobs <- n:
			default:
			}
		}})
	register(&shape{name: "healthy-keepalive",
		start: func(s *service) {
			s.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 5 * time.Second}
		},
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) { fanOutCalls(s) }})
	register(&shape{name: "healthy-tenant-workers",
		start: func(s *service) { go dispatchTenants() },
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			select {
			case tenantWork <- int(n % 40):
			default:
			}
		}})
	register(&shape{name: "healthy-ttl-sessions",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) { openSession(n) }})
	register(&shape{name: "healthy-long-poll",
		start: func(s *service) { go releasePolls() },
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%3 == 0 {
				go longPoll()
			}
		}})
	register(&shape{name: "healthy-background",
		start:  func(s *service) { startBackground() },
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {}})
}

var renderJobs = make(chan int64, 256)

// startRenderers starts a big fixed pool at startup; it waits for work between requests.
func startRenderers(s *service) {
	for i := 0; i < 200; i++ {
		go renderWorker()
	}
}

func renderWorker() {
	for j := range renderJobs {
		time.Sleep(time.Duration(j%3) * time.Millisecond)
	}
}

// fanOutCalls calls the backend several times at once and closes every body, leaving many
// idle keep-alive connections.
func fanOutCalls(s *service) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := s.client.Get(s.backend + "/part")
			if err != nil {
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()
}

var tenantWork = make(chan int, 128)

// dispatchTenants starts one worker per tenant the first time the tenant shows up; tenants
// are bounded, so the population grows, then stops.
func dispatchTenants() {
	workers := map[int]chan int{}
	for t := range tenantWork {
		c, ok := workers[t]
		if !ok {
			c = make(chan int, 8)
			workers[t] = c
			go tenantWorker(c)
		}
		select {
		case c <- t:
		default:
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func tenantWorker(c chan int) {
	for v := range c {
		_ = v
	}
}

// openSession keeps a session for a short TTL, then drops it.
func openSession(n int64) {
	done := make(chan struct{})
	go func() {
		select {
		case <-time.After(300 * time.Millisecond):
		case <-done:
		}
	}()
	if n%10 == 0 {
		close(done)
	}
}

var pollMu sync.Mutex
var pollRelease = make(chan struct{})

// releasePolls answers every waiting long poll a few times a second.
func releasePolls() {
	for {
		time.Sleep(250 * time.Millisecond)
		pollMu.Lock()
		close(pollRelease)
		pollRelease = make(chan struct{})
		pollMu.Unlock()
	}
}

// longPoll waits for the next release.
func longPoll() {
	pollMu.Lock()
	c := pollRelease
	pollMu.Unlock()
	<-c
}

// startBackground starts periodic jobs that sleep in loops and a raw listener blocked in Accept.
func startBackground() {
	for i := 0; i < 30; i++ {
		go func(i int) {
			for {
				time.Sleep(time.Duration(50+i) * time.Millisecond)
			}
		}(i)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
}
