// Command goroutines writes a large goroutine dump of itself for benchmarking dump parsers.
//
// It starts -n goroutines (default 200 000) spread over many stack shapes: 12 blocking kinds
// (channel send/receive, select, nil channel, mutex, RWMutex, WaitGroup, Cond, sleep, IO wait on
// a pipe, empty select, a context never cancelled) reached through call chains of 0–4 frames,
// started from three creation sites, a fifth of them under pprof labels. Then it writes
// runtime.Stack(buf, true) — not net/http/pprof, whose writer stops at 64 MiB — to -o.
//
//	go run . -n 200000 -o /tmp/dump.txt
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	recvCh   = make(chan int)
	sendCh   = make(chan int)
	selectCh = make(chan int)
	mu       sync.Mutex
	rw       sync.RWMutex
	wg       sync.WaitGroup
	cond     = sync.NewCond(&sync.Mutex{})
	started  sync.WaitGroup
)

// Each blocker parks its goroutine in a different way.
var blockers = []func(){
	func() { started.Done(); <-recvCh },
	func() { started.Done(); sendCh <- 1 },
	func() {
		started.Done()
		select {
		case <-selectCh:
		case <-recvCh:
		}
	},
	func() { var c chan int; started.Done(); <-c },
	func() { started.Done(); mu.Lock() },
	func() { started.Done(); rw.Lock() },
	func() { started.Done(); wg.Wait() },
	func() { cond.L.Lock(); started.Done(); cond.Wait() },
	func() { started.Done(); time.Sleep(time.Hour) },
	func() { started.Done(); pipeRead() },
	func() { started.Done(); select {} },
	func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		started.Done()
		<-ctx.Done()
	},
}

var pipeR *os.File

func pipeRead() {
	buf := make([]byte, 1)
	pipeR.Read(buf)
}

//go:noinline
func chainA(depth, kind int) {
	if depth == 0 {
		blockers[kind]()
		return
	}
	chainB(depth-1, kind)
}

//go:noinline
func chainB(depth, kind int) {
	if depth == 0 {
		blockers[kind]()
		return
	}
	chainC(depth-1, kind)
}

//go:noinline
func chainC(depth, kind int) {
	if depth == 0 {
		blockers[kind]()
		return
	}
	chainA(depth-1, kind)
}

type server struct{ name string }

//go:noinline
func (s *server) handle(depth, kind int) { chainA(depth, kind) }

func startPlain(depth, kind int)  { go chainA(depth, kind) }
func startServer(depth, kind int) { s := &server{"api"}; go s.handle(depth, kind) }
func startLabelled(i, depth, kind int) {
	labels := pprof.Labels("tenant", fmt.Sprint("t", i%17), "route", fmt.Sprintf("/api/v1/items/%d", (i/5)%7))
	go pprof.Do(context.Background(), labels, func(context.Context) { chainB(depth, kind) })
}

func main() {
	n := flag.Int("n", 200000, "goroutines to start")
	out := flag.String("o", "goroutines.txt", "output file")
	flag.Parse()
	mu.Lock()
	rw.RLock()
	wg.Add(1)
	r, w, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	pipeR = r
	defer w.Close()

	for i := 0; i < *n; i++ {
		depth := (i / 7) % 5
		kind := (i / 3) % len(blockers)
		started.Add(1)
		switch {
		case i%5 == 0:
			startLabelled(i, depth, kind)
		case i%5 < 3:
			startPlain(depth, kind)
		default:
			startServer(depth, kind)
		}
	}
	started.Wait()
	time.Sleep(500 * time.Millisecond)

	buf := make([]byte, 64<<20)
	for {
		k := runtime.Stack(buf, true)
		if k < len(buf) {
			buf = buf[:k]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	if err := os.WriteFile(*out, buf, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "%d goroutines, %d bytes -> %s\n", runtime.NumGoroutine(), len(buf), *out)
}
