package main

import (
	"errors"
	"net/http"
	"sync"
	"time"
)

// Held-out shapes: written apart from the ones above and never used to tune the detector;
// bench/detect.sh scores them separately.

func init() {
	register(&shape{name: "heldout-first-error", leak: true, heldOut: true, responsible: "main.queryReplicas",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%3 == 0 {
				queryReplicas(n)
			}
		}})
	register(&shape{name: "heldout-afterfunc", leak: true, heldOut: true, responsible: "main.scheduleReminder",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%3 == 0 {
				scheduleReminder()
			}
		}})
	register(&shape{name: "heldout-double-send", leak: true, heldOut: true, responsible: "main.computeTwice",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%3 == 0 {
				computeTwice(n)
			}
		}})
	register(&shape{name: "heldout-queue-close", leak: true, heldOut: true, responsible: "main.drainMailbox",
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%3 == 0 {
				openMailbox()
			}
		}})
	register(&shape{name: "heldout-healthy-pipeline", heldOut: true,
		start: func(s *service) { startPipeline() },
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			select {
			case stageIn <- int(n):
			default:
			}
		}})
	register(&shape{name: "heldout-healthy-streams", heldOut: true,
		handle: func(s *service, n int64, w http.ResponseWriter, r *http.Request) {
			if n%4 == 0 {
				go serveStream()
			}
		}})
}

// queryReplicas asks three replicas and returns on the first error; the others' answers go nowhere.
func queryReplicas(n int64) error {
	answers := make(chan error)
	for i := 0; i < 3; i++ {
		go func(i int) {
			var err error
			if i == 0 {
				err = errors.New("replica down")
			}
			answers <- err
		}(i)
	}
	for i := 0; i < 3; i++ {
		if err := <-answers; err != nil {
			return err
		}
	}
	return nil
}

// scheduleReminder delivers a reminder from a timer callback to a channel nobody reads any more.
func scheduleReminder() {
	inbox := make(chan string)
	time.AfterFunc(time.Millisecond, func() { inbox <- "reminder" })
}

// computeTwice sends a value and then a refinement; the caller takes only the first.
func computeTwice(n int64) int64 {
	out := make(chan int64)
	go func() {
		out <- n
		out <- n * 2
	}()
	return <-out
}

type mailbox struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []string
	closed bool
}

// Close marks the mailbox closed but wakes nobody.
func (m *mailbox) Close() {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
}

// Pop waits for an item or for Close (which never wakes it).
func (m *mailbox) Pop() (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.items) == 0 && !m.closed {
		m.cond.Wait()
	}
	if len(m.items) == 0 {
		return "", false
	}
	v := m.items[0]
	m.items = m.items[1:]
	return v, true
}

func openMailbox() {
	m := &mailbox{}
	m.cond = sync.NewCond(&m.mu)
	go drainMailbox(m)
	go func() {
		time.Sleep(2 * time.Millisecond)
		m.Close()
	}()
}

func drainMailbox(m *mailbox) {
	for {
		if _, ok := m.Pop(); !ok {
			return
		}
	}
}

var stageIn = make(chan int, 32)

// startPipeline runs three bounded stages that stay busy under load.
func startPipeline() {
	mid := make(chan int, 32)
	out := make(chan int, 32)
	for i := 0; i < 8; i++ {
		go func() {
			for v := range stageIn {
				mid <- v * 2
			}
		}()
		go func() {
			for v := range mid {
				time.Sleep(time.Millisecond)
				out <- v + 1
			}
		}()
	}
	go func() {
		for range out {
		}
	}()
}

var streamHub = struct {
	sync.Mutex
	subs map[chan int]bool
}{subs: map[chan int]bool{}}

func init() {
	go func() {
		for i := 0; ; i++ {
			time.Sleep(100 * time.Millisecond)
			streamHub.Lock()
			for c := range streamHub.subs {
				select {
				case c <- i:
				default:
				}
			}
			streamHub.Unlock()
		}
	}()
}

// serveStream subscribes for a few updates and then leaves.
func serveStream() {
	c := make(chan int, 1)
	streamHub.Lock()
	streamHub.subs[c] = true
	streamHub.Unlock()
	for i := 0; i < 4; i++ {
		<-c
	}
	streamHub.Lock()
	delete(streamHub.subs, c)
	streamHub.Unlock()
}
