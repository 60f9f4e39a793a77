// Command godebug is a test fixture for leakscope's GODEBUG log parser. Run it with
// GODEBUG=gctrace=1,schedtrace=100 (and scheddetail/scavtrace variants); the runtime writes its
// trace lines to stderr, interleaved with the ordinary log lines this program writes there too.
//
// Modes:
//
//	leak     allocates garbage and keeps -leak-kib KiB more live heap every 10 ms (steady growth)
//	healthy  allocates the same garbage but keeps a fixed 8 MiB live heap (sawtooth, flat live heap)
//	threads  locks -threads goroutines to their own OS threads, and keeps -busy goroutines runnable
//	goroutines  starts -leak-goroutines goroutines every 10 ms that block forever on a channel
//
// With -out DIR it writes DIR/manifest.json saying what it did.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	sink []byte
	// retained is what the leak mode keeps; global so that it stays live through the final forced GC.
	retained [][]byte
)

func main() {
	mode := flag.String("mode", "healthy", "leak, healthy, threads or goroutines")
	duration := flag.Duration("duration", 2*time.Second, "how long to run")
	leakKiB := flag.Int("leak-kib", 256, "leak mode: KiB retained every 10 ms")
	threads := flag.Int("threads", 40, "threads mode: goroutines locked to their own OS thread")
	busy := flag.Int("busy", 200, "threads mode: goroutines kept runnable")
	leakGoroutines := flag.Int("leak-goroutines", 10, "goroutines mode: goroutines started every 10 ms that never end")
	out := flag.String("out", "", "write manifest.json here")
	flag.Parse()

	logger := log.New(os.Stderr, "app: ", log.LstdFlags|log.Lmicroseconds)
	logger.Printf("starting mode=%s gomaxprocs=%d", *mode, runtime.GOMAXPROCS(0))

	manifest := map[string]any{"mode": *mode, "gomaxprocs": runtime.GOMAXPROCS(0)}
	deadline := time.Now().Add(*duration)
	switch *mode {
	case "leak":
		for i := 0; time.Now().Before(deadline); i++ {
			churn(256)
			retained = append(retained, touch(make([]byte, *leakKiB<<10)))
			if i%20 == 0 {
				logger.Printf("request %d served, cache entries=%d", i, len(retained))
			}
			time.Sleep(10 * time.Millisecond)
		}
		manifest["retainedMiB"] = len(retained) * *leakKiB >> 10
	case "healthy":
		retained = append(retained, touch(make([]byte, 8<<20)))
		for i := 0; time.Now().Before(deadline); i++ {
			churn(256)
			if i%20 == 0 {
				logger.Printf("request %d served", i)
			}
			time.Sleep(10 * time.Millisecond)
		}
		manifest["retainedMiB"] = 8
	case "threads":
		release := make(chan struct{})
		var locked sync.WaitGroup
		for i := 0; i < *threads; i++ {
			locked.Add(1)
			go func() {
				runtime.LockOSThread()
				locked.Done()
				<-release // parks; the locked thread cannot run anything else
			}()
		}
		locked.Wait()
		stop := make(chan struct{})
		for i := 0; i < *busy; i++ {
			go spin(stop)
		}
		for i := 0; time.Now().Before(deadline); i++ {
			churn(64)
			if i%20 == 0 {
				logger.Printf("tick %d", i)
			}
			time.Sleep(10 * time.Millisecond)
		}
		close(stop)
		close(release)
		manifest["lockedThreads"] = *threads
		manifest["busyGoroutines"] = *busy
	case "goroutines":
		never := make(chan struct{})
		started := 0
		for i := 0; time.Now().Before(deadline); i++ {
			for j := 0; j < *leakGoroutines; j++ {
				go func() { <-never }()
				started++
			}
			churn(64)
			if i%20 == 0 {
				logger.Printf("tick %d, %d goroutines", i, runtime.NumGoroutine())
			}
			time.Sleep(10 * time.Millisecond)
		}
		manifest["leakedGoroutines"] = started
	default:
		logger.Fatalf("unknown mode %q", *mode)
	}
	// A forced cycle and a forced scavenge: `(forced)` in gctrace and scavtrace. Go 1.26+ also runs
	// a leak-checking cycle for the goroutineleak profile (nil on older runtimes).
	if leaks := pprof.Lookup("goroutineleak"); leaks != nil {
		_ = leaks.WriteTo(io.Discard, 0)
	}
	runtime.GC()
	debug.FreeOSMemory()
	logger.Printf("done")

	if *out != "" {
		data, _ := json.Marshal(manifest)
		if err := os.WriteFile(filepath.Join(*out, "manifest.json"), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// churn allocates short-lived garbage: KiB in 1 KiB pieces, kept only until the next call.
func churn(kib int) {
	pieces := make([][]byte, kib)
	for i := range pieces {
		pieces[i] = make([]byte, 1024)
	}
	sink = pieces[len(pieces)-1]
}

// touch writes every page so the memory is really used.
func touch(b []byte) []byte {
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	return b
}

// spin stays runnable until stop is closed, yielding so that run queues fill rather than one
// goroutine hogging a P.
func spin(stop <-chan struct{}) {
	for x := 0; ; x++ {
		select {
		case <-stop:
			return
		default:
		}
		if x%64 == 0 {
			runtime.Gosched()
		}
	}
}
