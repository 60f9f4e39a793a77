// Command leakyservice is a small shop backend whose bugs can be switched on one by one, so that
// leak and hot-spot detectors (leakscope, go tool pprof, goleak …) have a real target to find.
// Every fault is a realistic bug inside ordinary request handling; see README.md for the table.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6060", "listen address (port 0 picks a free port)")
	faultList := flag.String("faults", "none", "comma-separated faults to switch on: "+allFaultNames()+", all, or none")
	pprofPrefix := flag.String("pprof-prefix", "/debug/pprof/", "path prefix under which net/http/pprof is served")
	token := flag.String("token", "", "if set, the pprof endpoints require 'Authorization: Bearer TOKEN'")
	mutexFraction := flag.Int("mutex-fraction", 5, "runtime.SetMutexProfileFraction (0 disables the mutex profile)")
	blockRate := flag.Int("block-rate", 10000, "runtime.SetBlockProfileRate in nanoseconds (0 disables the block profile)")
	memRate := flag.Int("mem-profile-rate", 64<<10, "runtime.MemProfileRate: bytes per heap profile sample (Go's default is 524288)")
	flag.IntVar(&limits.goroutinesPerFault, "max-leaked-goroutines", 50000, "safety cap: goroutines one goroutine fault may leak before it behaves")
	flag.IntVar(&limits.connections, "max-leaked-conns", 4000, "safety cap: response bodies the body-leak fault may leave open")
	maxLeakMB := flag.Int("max-leak-mb", 512, "safety cap: megabytes one heap fault may retain")
	statsEvery := flag.Duration("stats-interval", 10*time.Second, "how often to log goroutine and heap figures to stderr (0: never)")
	flag.Parse()
	if *memRate > 0 {
		runtime.MemProfileRate = *memRate // as early as possible: it applies to later allocations
	}
	limits.heapBytes = int64(*maxLeakMB) << 20

	initial, err := parseFaults(*faultList)
	if err != nil {
		fmt.Fprintln(os.Stderr, "leakyservice:", err)
		os.Exit(2)
	}
	rand.Seed(time.Now().UnixNano())
	runtime.SetMutexProfileFraction(*mutexFraction)
	runtime.SetBlockProfileRate(*blockRate)

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "leakyservice:", err)
		os.Exit(1)
	}
	baseURL := "http://" + listener.Addr().String()
	upstreamPriceURL = baseURL + "/upstream/price"

	mux := http.NewServeMux()
	if err := mountPprof(mux, *pprofPrefix, *token); err != nil {
		fmt.Fprintln(os.Stderr, "leakyservice:", err)
		os.Exit(2)
	}
	mountService(mux)

	server := &http.Server{
		Handler:           recordAudit(mux),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          log.New(os.Stderr, "http: ", log.LstdFlags),
	}

	// Warm the bounded caches, so their memory is in place before the first request.
	warmProducts()
	warmReports()

	// Tests parse this line: it must be the first and only line on stdout.
	fmt.Printf("listening on %s\n", baseURL)
	setFaults(initial)
	startBackground(*statsEvery)

	serveErr := make(chan error, 1)
	go func() { serveErr <- server.Serve(listener) }()

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	select {
	case sig := <-signals:
		log.Printf("%v: shutting down", sig)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		// Leaked goroutines and connections are the point of this program; do not wait for them.
		_ = server.Shutdown(ctx)
	case err := <-serveErr:
		log.Printf("serve: %v", err)
		os.Exit(1)
	}
}

// mountService registers the shop's API, the admin endpoints and the internal upstream.
func mountService(mux *http.ServeMux) {
	mux.HandleFunc("/healthz", handleHealthz)
	mux.HandleFunc("/admin/faults", handleAdminFaults)
	mux.HandleFunc("/api/products", handleProduct)
	mux.HandleFunc("/api/search", handleSearch)
	mux.HandleFunc("/api/inventory", handleInventory)
	mux.HandleFunc("/api/watch", handleWatch)
	mux.HandleFunc("/api/notifications", handleNotifications)
	mux.HandleFunc("/api/ledger/batch", handleLedgerBatch)
	mux.HandleFunc("/api/quote", handleQuote)
	mux.HandleFunc("/api/report", handleReport)
	mux.HandleFunc("/api/checkout", handleCheckout)
	mux.HandleFunc("/upstream/price", handleUpstreamPrice)
}

func handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}
