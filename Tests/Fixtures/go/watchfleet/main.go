// watchfleet serves net/http/pprof for leakscope watch's tests and benchmark.
//
// One process is one target, with its own behaviour:
//
//	-leak-after D     start leaking goroutines after D (0: never), -leak-rate per second
//	-leak-stop-after D stop leaking D after it started (0: never), so the alert can resolve
//	-heap-rate B      retain B bytes per second in a global slice (a heap leak), from -heap-after D
//	-metrics          also serve a Prometheus /metrics (go_goroutines, go_memstats_heap_inuse_bytes)
//	-die-after D      exit with status 1 after D
//	-slow D           delay every response by D
//	-fleet N          serve the same handlers on N listeners (the benchmark's simulated fleet)
//
// Every listener also serves /pollers: how many requests it received per value of the
// X-Leakscope-Watcher header (JSON), so a test can ask each target which watcher polled it.
//
// It prints "listening on http://ADDR" once per listener on standard output, then serves until killed.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sync"
	"time"
)

var (
	leakAfter     = flag.Duration("leak-after", 0, "start leaking goroutines after this long (0: never)")
	leakRate      = flag.Int("leak-rate", 40, "goroutines leaked per second")
	leakStopAfter = flag.Duration("leak-stop-after", 0, "stop leaking this long after the leak started (0: never)")
	heapRate      = flag.Int("heap-rate", 0, "bytes retained per second")
	heapAfter     = flag.Duration("heap-after", 0, "start retaining heap after this long")
	metrics       = flag.Bool("metrics", false, "serve Prometheus /metrics")
	dieAfter      = flag.Duration("die-after", 0, "exit after this long (0: never)")
	slow          = flag.Duration("slow", 0, "delay every response")
	fleet         = flag.Int("fleet", 1, "listeners to serve")
	addr          = flag.String("addr", "127.0.0.1:0", "listen address (with -fleet, the host; ports are chosen by the kernel)")
)

// sendResult hands a result to whoever asked for it. Nobody ever receives: the goroutine blocks
// on the send forever (the leak the tests expect leakscope to name).
func sendResult(results chan<- int, value int) {
	results <- value
}

// startRequest models a handler that gives up waiting and forgets the channel.
func startRequest(id int) {
	results := make(chan int)
	go sendResult(results, id)
}

func leakGoroutines() {
	tick := time.NewTicker(time.Second / time.Duration(*leakRate))
	defer tick.Stop()
	started := time.Now()
	for id := 0; ; id++ {
		<-tick.C
		if *leakStopAfter > 0 && time.Since(started) > *leakStopAfter {
			return
		}
		startRequest(id)
	}
}

var (
	retainedMu sync.Mutex
	retained   [][]byte
)

// cacheBlob keeps every blob forever (a cache without eviction).
func cacheBlob(size int) {
	blob := make([]byte, size)
	for i := range blob {
		blob[i] = byte(i)
	}
	retainedMu.Lock()
	retained = append(retained, blob)
	retainedMu.Unlock()
}

func leakHeap() {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for range tick.C {
		cacheBlob(*heapRate / 10)
	}
}

func serveMetrics(w http.ResponseWriter, r *http.Request) {
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	fmt.Fprintf(w, "# HELP go_goroutines Number of goroutines that currently exist.\n# TYPE go_goroutines gauge\ngo_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintf(w, "# HELP go_memstats_heap_inuse_bytes Heap bytes in use.\n# TYPE go_memstats_heap_inuse_bytes gauge\ngo_memstats_heap_inuse_bytes %d\n", stats.HeapInuse)
	fmt.Fprintf(w, "# HELP go_memstats_heap_alloc_bytes Heap bytes allocated and still in use.\n# TYPE go_memstats_heap_alloc_bytes gauge\ngo_memstats_heap_alloc_bytes %d\n", stats.HeapAlloc)
}

// countPollers counts this listener's requests per X-Leakscope-Watcher header and serves the counts
// at /pollers.
func countPollers(next http.Handler) http.Handler {
	var mu sync.Mutex
	counts := map[string]int{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/pollers" {
			mu.Lock()
			body, _ := json.Marshal(counts)
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
			return
		}
		if id := r.Header.Get("X-Leakscope-Watcher"); id != "" {
			mu.Lock()
			counts[id]++
			mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	flag.Parse()
	if *metrics {
		http.HandleFunc("/metrics", serveMetrics)
	}
	var handler http.Handler = http.DefaultServeMux
	if *slow > 0 {
		inner := handler
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(*slow)
			inner.ServeHTTP(w, r)
		})
	}
	host := *addr
	if h, _, err := net.SplitHostPort(*addr); err == nil && *fleet > 1 {
		host = net.JoinHostPort(h, "0")
	}
	for i := 0; i < *fleet; i++ {
		listener, err := net.Listen("tcp", host)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("listening on http://%s\n", listener.Addr())
		go http.Serve(listener, countPollers(handler))
	}
	os.Stdout.Sync()
	if *leakAfter > 0 {
		go func() {
			time.Sleep(*leakAfter)
			leakGoroutines()
		}()
	}
	if *heapRate > 0 {
		go func() {
			time.Sleep(*heapAfter)
			leakHeap()
		}()
	}
	if *dieAfter > 0 {
		time.Sleep(*dieAfter)
		os.Exit(1)
	}
	select {}
}
