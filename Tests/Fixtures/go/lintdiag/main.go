// Command lintdiag is the service the lint ↔ diagnose tests run: its source has leak patterns
// `leakscope lint` reports, and it leaks at run time through one of them, so `diagnose --source`
// and `lint --capture` can be checked against each other on a real process.
//
//   - resolver.(*Resolver).Lookup gives up on a timeout before its worker literal sends: LS001 in
//     the source, goroutines piling up on a chan send at run time (both sides see it);
//   - resolver.(*Resolver).Prefetch has the same pattern but is never called (static only);
//   - main.parkIdle waits on a channel nothing can reach, which no check looks for (runtime only);
//   - main.(*pool).work ranges over a channel nothing closes, not even the pool's Stop (LS008); the
//     pool is fixed and never stopped here: goroutines wait there without any runtime finding.
//
// It listens on 127.0.0.1 only (net/http/pprof), writes "host:port" to -addr-file once it
// listens, and exits by itself after -lifetime.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"time"

	"example.com/lintdiag/resolver"
)

// limit bounds each leak so a forgotten process cannot exhaust memory.
const limit = 20000

//go:noinline
func parkIdle() {
	ch := make(chan int)
	<-ch
}

// pool is a fixed set of workers fed by jobs, which nothing closes: Stop marks the pool stopped
// but forgets the channel, so its workers outlive it (LS008, high confidence: the type can be
// stopped, and stopping it leaves them behind).
type pool struct {
	jobs    chan string
	stopped bool
}

// Stop is meant to end the pool; it never closes jobs.
func (p *pool) Stop() { p.stopped = true }

// workers is the size of the fixed pool.
const workers = 4

var background = &pool{jobs: make(chan string)}

func (p *pool) work() {
	for name := range p.jobs {
		log.Print(name)
	}
}

// leakInBackground calls Lookup with a timeout shorter than its work every few milliseconds (one
// goroutine stuck in Lookup.func1 per call) and starts one parkIdle goroutine per call.
func leakInBackground(r *resolver.Resolver, every time.Duration) {
	for i := 0; i < limit; i++ {
		r.Lookup("host", time.Millisecond)
		go parkIdle()
		time.Sleep(every)
	}
}

func main() {
	addrFile := flag.String("addr-file", "", "write the listening address here")
	lifetime := flag.Duration("lifetime", time.Hour, "exit after this long")
	every := flag.Duration("every", 10*time.Millisecond, "pause between leaking calls")
	flag.Parse()

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	for i := 0; i < workers; i++ {
		go background.work()
	}
	go leakInBackground(resolver.New(50*time.Millisecond), *every)
	if *addrFile != "" {
		tmp := *addrFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(listener.Addr().String()), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(tmp, *addrFile); err != nil {
			log.Fatal(err)
		}
	}
	time.AfterFunc(*lifetime, func() { os.Exit(0) })
	log.Fatal(http.Serve(listener, nil))
}
