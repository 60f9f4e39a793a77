// dumpgen creates goroutines of known shapes and counts, then writes goroutine dumps of
// itself in the form asked for. It prints a manifest (one "key value" pair per line) of
// what it created, so tests can compare a parser's findings with the program's own count.
//
// Usage: dumpgen MODE OUTDIR
//
//	stack    OUTDIR/stack.txt from runtime.Stack(buf, true)
//	http     OUTDIR/debug2.txt, debug1.txt, debug0.pb.gz (+ leak2.txt on go1.26+) via net/http/pprof on loopback
//	panic    panics in a goroutine after some log lines (the crash dump goes to stderr)
//	sigquit  sends itself SIGQUIT after some log lines
//	fatal    a fatal error: concurrent map writes are hard to force, so all goroutines asleep
//
// The manifest goes to OUTDIR/manifest.txt.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	recvCount     = 7
	sendCount     = 5
	selectCount   = 4
	mutexCount    = 3
	sleepCount    = 6
	labelledCount = 9
	nilChanCount  = 2
	waitGroupCnt  = 3
	deepCount     = 2
	deepDepth     = 130
	lockedCount   = 1
	spawnerCount  = 2
	childrenEach  = 4
)

// Each shape waits on its own channel: a sender and a receiver on one channel would pair up.
var (
	recvNever    = make(chan int)
	sendNever    = make(chan int)
	selectNever  = make(chan int)
	lockedNever  = make(chan int)
	labelNever   = make(chan int)
	deepNever    = make(chan int)
	spawnerNever = make(chan int)
	childNever   = make(chan int)

	mu       sync.Mutex
	wg       sync.WaitGroup
	manifest = map[string]int{}
	ready    sync.WaitGroup
)

func blockRecv() { ready.Done(); <-recvNever }
func blockSend() { ready.Done(); sendNever <- 1 }
func blockSelect(c chan int) {
	ready.Done()
	select {
	case <-selectNever:
	case <-c:
	}
}
func blockMutex()     { ready.Done(); mu.Lock() }
func blockSleep()     { ready.Done(); time.Sleep(time.Hour) }
func blockNil()       { var c chan int; ready.Done(); <-c }
func blockWaitGroup() { ready.Done(); wg.Wait() }
func blockLocked()    { runtime.LockOSThread(); ready.Done(); <-lockedNever }

func labelledWorker(ctx context.Context) { ready.Done(); <-labelNever }

// oddLabels need every kind of quoting: an empty key and value, a quote, non-ASCII, control
// characters and the separators of the traceback's label syntax.
var oddLabels = []string{"", "", "k\"ey", "é\x01\t", "plain", "a b:c,d}"}

func oddLabelled(ctx context.Context) { ready.Done(); <-labelNever }

func deep(n int) int {
	if n == 0 {
		ready.Done()
		<-deepNever
		return 0
	}
	return deep(n-1) + 1
}

func spawner(n int) {
	for i := 0; i < n; i++ {
		ready.Add(1)
		go spawnedChild()
	}
	ready.Done()
	<-spawnerNever
}

func spawnedChild() { ready.Done(); <-childNever }

func start(name string, n int, f func()) {
	manifest[name] += n
	for i := 0; i < n; i++ {
		ready.Add(1)
		go f()
	}
}

func setup() {
	mu.Lock()
	wg.Add(1)
	start("main.blockRecv", recvCount, blockRecv)
	start("main.blockSend", sendCount, blockSend)
	sel := make(chan int)
	start("main.blockSelect", selectCount, func() { blockSelect(sel) })
	start("main.blockMutex", mutexCount, blockMutex)
	start("main.blockSleep", sleepCount, blockSleep)
	start("main.blockNil", nilChanCount, blockNil)
	start("main.blockWaitGroup", waitGroupCnt, blockWaitGroup)
	start("main.blockLocked", lockedCount, blockLocked)
	start("main.deep", deepCount, func() { deep(deepDepth) })
	manifest["main.labelledWorker"] = labelledCount
	for i := 0; i < labelledCount; i++ {
		ready.Add(1)
		// Values that need quoting in go1.27's traceback labels: a space, a quote, a colon.
		labels := pprof.Labels("worker", fmt.Sprint("w", i%3), "tenant", `a "b": c`)
		go pprof.Do(context.Background(), labels, func(ctx context.Context) { labelledWorker(ctx) })
	}
	manifest["main.oddLabelled"] = 1
	ready.Add(1)
	go pprof.Do(context.Background(), pprof.Labels(oddLabels...), func(ctx context.Context) { oddLabelled(ctx) })
	for i := 0; i < len(oddLabels); i += 2 {
		manifest[fmt.Sprintf("oddlabel:%x:%x", oddLabels[i], oddLabels[i+1])] = 1
	}
	manifest["main.spawner"] = spawnerCount
	manifest["main.spawnedChild"] = spawnerCount * childrenEach
	for i := 0; i < spawnerCount; i++ {
		ready.Add(1)
		go spawner(childrenEach)
	}
	ready.Wait()
	// Let the blocked goroutines reach their parking spot after Done.
	time.Sleep(200 * time.Millisecond)
	manifest["labelled"] = labelledCount + 1
	manifest["labels.worker=w0"] = (labelledCount + 2) / 3
	manifest["labels.tenant"] = labelledCount
	manifest["deepDepth"] = deepDepth
}

func writeManifest(dir string) {
	var b strings.Builder
	fmt.Fprintf(&b, "version %s\n", runtime.Version())
	for k, v := range manifest {
		fmt.Fprintf(&b, "%s %d\n", k, v)
	}
	if err := os.WriteFile(dir+"/manifest.txt", []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

func fetch(base, path, file string) {
	resp, err := http.Get(base + path)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		log.Printf("%s: %s (skipped)", path, resp.Status)
		return
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: dumpgen MODE OUTDIR")
	}
	mode, dir := os.Args[1], os.Args[2]
	setup()
	writeManifest(dir)
	switch mode {
	case "stack":
		buf := make([]byte, 1<<20)
		for {
			n := runtime.Stack(buf, true)
			if n < len(buf) {
				buf = buf[:n]
				break
			}
			buf = make([]byte, 2*len(buf))
		}
		if err := os.WriteFile(dir+"/stack.txt", buf, 0o644); err != nil {
			log.Fatal(err)
		}
	case "http":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		go http.Serve(ln, nil)
		base := "http://" + ln.Addr().String() + "/debug/pprof/"
		fetch(base, "goroutine?debug=2", dir+"/debug2.txt")
		fetch(base, "goroutine?debug=1", dir+"/debug1.txt")
		fetch(base, "goroutine?debug=0", dir+"/debug0.pb.gz")
		fetch(base, "goroutineleak?debug=2", dir+"/leak2.txt")
		fetch(base, "goroutineleak?debug=1", dir+"/leak1.txt")
	case "panic":
		log.Printf("service starting, %d workers", len(manifest))
		log.Printf("request id=42 path=/api/x took 12ms")
		done := make(chan bool)
		go func() {
			fmt.Fprintln(os.Stderr, "goroutine-looking log line: goroutine count high")
			panic("dumpgen: deliberate panic")
		}()
		<-done
	case "sigquit":
		log.Printf("about to quit")
		syscall.Kill(os.Getpid(), syscall.SIGQUIT)
		time.Sleep(10 * time.Second)
	case "deadlock":
		log.Printf("waiting forever")
		// Every goroutine is blocked: the runtime reports a fatal deadlock, but the
		// sleepers keep timers alive, so force it with a select on nothing after unlocking.
		var forever chan int
		<-forever
	default:
		log.Fatalf("unknown mode %q", mode)
	}
}
