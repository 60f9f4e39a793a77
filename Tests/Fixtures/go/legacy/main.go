// Command legacy writes Go's debug=1 (legacy text) profiles with counts it knows, for
// leakscope's legacy-format tests. Standard library only; builds with go1.19 and later.
//
// Usage: legacy -out DIR
//
// It writes goroutine.txt, threadcreate.txt, heap.txt, allocs.txt, block.txt,
// mutex.txt, custom.txt (and goroutineleak.txt where the runtime has that profile),
// plus expected.txt with `name=value` lines for the numbers the tests check.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

const (
	labeledWorkers   = 37
	plainSleepers    = 5
	retainedObjects  = 1000
	retainedSize     = 4096
	garbageObjects   = 2000
	garbageSize      = 256
	blockingReceives = 10
	mutexHandoffs    = 5
	customAdds       = 4
	leakedReceivers  = 3
)

var (
	retained [][]byte
	sink     []byte
	release  = make(chan int)
	custom   = pprof.NewProfile("leakscope.custom")
)

// waitOn is small enough to be inlined into its callers, so the goroutine profile has
// two frames (waitOn inside blockedWorker) at one PC.
func waitOn(c chan int) int {
	return <-c // waitOn blocks here
}

//go:noinline
func blockedWorker(started *sync.WaitGroup) {
	started.Done()
	waitOn(release)
}

//go:noinline
func idleSleeper(started *sync.WaitGroup) {
	started.Done()
	<-release
}

//go:noinline
func allocRetained() {
	retained = make([][]byte, 0, retainedObjects)
	for i := 0; i < retainedObjects; i++ {
		block := make([]byte, retainedSize) // the retained allocation site
		retained = append(retained, block)
	}
}

//go:noinline
func allocGarbage() {
	for i := 0; i < garbageObjects; i++ {
		sink = make([]byte, garbageSize) // the garbage allocation site
	}
	sink = nil
}

//go:noinline
func blockOnChannel(c chan int, done chan bool) {
	for i := 0; i < blockingReceives; i++ {
		<-c
	}
	done <- true
}

//go:noinline
func holdMutex(mu *sync.Mutex, locked, unlock chan bool) {
	mu.Lock()
	locked <- true // contendMutex now tries to lock
	<-unlock
	mu.Unlock()
}

//go:noinline
func contendMutex(mu *sync.Mutex, finished chan bool) {
	mu.Lock()
	mu.Unlock()
	finished <- true
}

// waitUntilParked returns once a goroutine running function waits for one of reasons, read
// from the runtime's own goroutine dump. Any wait state is not enough: a goroutine the GC stops
// to scan its stack shows as "[preempted]" while it is still on its way to the wait.
func waitUntilParked(function string, reasons ...string) {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		for _, block := range strings.Split(string(buf[:n]), "\n\n") {
			header, rest, _ := strings.Cut(block, "\n")
			if !strings.Contains(rest, function+"(") {
				continue
			}
			for _, reason := range reasons {
				if strings.Contains(header, "["+reason) {
					return
				}
			}
		}
		time.Sleep(100 * time.Microsecond)
	}
}

//go:noinline
func customAdder(i int) {
	custom.Add(i, 1)
}

//go:noinline
func leakyReceiver() {
	c := make(chan int) // nobody else can reach c
	<-c
}

func main() {
	out := flag.String("out", ".", "directory to write the profiles to")
	flag.Parse()
	runtime.MemProfileRate = 1
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)

	var started sync.WaitGroup
	started.Add(labeledWorkers + plainSleepers)
	for i := 0; i < labeledWorkers; i++ {
		go pprof.Do(context.Background(), pprof.Labels("worker", "7"), func(context.Context) {
			blockedWorker(&started)
		})
	}
	for i := 0; i < plainSleepers; i++ {
		go idleSleeper(&started)
	}
	started.Wait()

	allocRetained()
	allocGarbage()

	// done has room for its one value: blockOnChannel's last send must not block (and count as a
	// blocking event of blockOnChannel) when it runs before main reaches <-done.
	c, done := make(chan int), make(chan bool, 1)
	go blockOnChannel(c, done)
	for i := 0; i < blockingReceives; i++ {
		// Send only once the receiver is parked, so each receive blocks however busy the machine.
		waitUntilParked("main.blockOnChannel", "chan receive")
		c <- i
	}
	<-done

	var mu sync.Mutex
	for i := 0; i < mutexHandoffs; i++ {
		locked, unlock, finished := make(chan bool), make(chan bool), make(chan bool)
		go holdMutex(&mu, locked, unlock)
		<-locked
		go contendMutex(&mu, finished)
		// Unlock only once contendMutex waits, so every unlock is a contended one (the mutex
		// profile records it at the unlocker, holdMutex) however busy the machine.
		waitUntilParked("main.contendMutex", "semacquire", "sync.Mutex.Lock")
		unlock <- true
		<-finished
	}

	for i := 0; i < customAdds; i++ {
		customAdder(i)
	}

	if pprof.Lookup("goroutineleak") != nil {
		for i := 0; i < leakedReceivers; i++ {
			go leakyReceiver()
		}
	}
	// Let everything park before profiling.
	time.Sleep(100 * time.Millisecond)
	runtime.GC()
	runtime.GC()

	for _, name := range []string{"goroutine", "threadcreate", "heap", "allocs", "block", "mutex", "leakscope.custom", "goroutineleak"} {
		p := pprof.Lookup(name)
		if p == nil {
			continue
		}
		file := name
		if name == "leakscope.custom" {
			file = "custom"
		}
		f, err := os.Create(filepath.Join(*out, file+".txt"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := p.WriteTo(f, 1); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		f.Close()
	}

	expected := fmt.Sprintf("labeledWorkers=%d\nplainSleepers=%d\nretainedObjects=%d\nretainedSize=%d\n"+
		"garbageObjects=%d\ngarbageSize=%d\nblockingReceives=%d\nmutexHandoffs=%d\ncustomAdds=%d\nleakedReceivers=%d\n",
		labeledWorkers, plainSleepers, retainedObjects, retainedSize, garbageObjects, garbageSize,
		blockingReceives, mutexHandoffs, customAdds, leakedReceivers)
	if err := os.WriteFile(filepath.Join(*out, "expected.txt"), []byte(expected), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	close(release)
}
