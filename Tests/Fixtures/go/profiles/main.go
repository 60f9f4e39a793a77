// Command profiles writes real Go runtime profiles for leakscope's oracle tests.
//
// It does a fixed amount of labelled work (CPU, allocation, lock contention,
// channel blocking, parked and leaked goroutines) and then writes every
// runtime profile in both debug=0 (gzipped profile.proto) and debug=1 (text)
// into the directory given by -out. Standard library only; builds with go1.19
// and later. The goroutineleak profile exists from Go 1.26 on; on older
// toolchains it is simply not written.
//
// Small helpers marked "inlined" are kept tiny so the compiler inlines them:
// their frames appear as inlined lines inside their callers' locations.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// Record every allocation so heap/allocs profiles do not depend on sampling luck.
func init() { runtime.MemProfileRate = 1 }

var outDir = flag.String("out", ".", "directory to write the profiles into")

func main() {
	flag.Parse()
	if err := run(*outDir); err != nil {
		fmt.Fprintln(os.Stderr, "profiles:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)

	if err := profileCPU(filepath.Join(dir, "cpu.pb.gz")); err != nil {
		return err
	}
	allocate()
	contend()
	block()
	release := park()
	leak()
	runtime.GC() // make the heap profile reflect the allocations above

	for _, name := range []string{"heap", "allocs", "goroutine", "goroutineleak", "mutex", "block", "threadcreate"} {
		p := pprof.Lookup(name)
		if p == nil {
			continue // goroutineleak before Go 1.26
		}
		if err := write(p, filepath.Join(dir, name+".pb.gz"), 0); err != nil {
			return err
		}
		if err := write(p, filepath.Join(dir, name+".txt"), 1); err != nil {
			return err
		}
	}
	close(release)
	return nil
}

func write(p *pprof.Profile, path string, debug int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := p.WriteTo(f, debug); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// ---- CPU ----

var cpuSink uint64

// About 0.4 s and 0.3 s of CPU on the project's machines (tens of samples at 100 Hz each).
const (
	hashRounds = 12000
	sortRounds = 1500
)

// mix is inlined into its callers.
func mix(x uint64) uint64 { return (x ^ (x >> 7)) * 0x9E3779B97F4A7C15 }

// hashLoop does a fixed amount of work (not a fixed time), so the number of CPU samples does not
// depend on how busy the machine is: the profiler counts CPU time.
//
//go:noinline
func hashLoop(rounds int) {
	x := uint64(1)
	for r := 0; r < rounds; r++ {
		for i := 0; i < 20000; i++ {
			x = mix(x + uint64(i))
		}
	}
	cpuSink += x
}

//go:noinline
func sortLoop(rounds int) {
	buf := make([]int, 4096)
	for r := 0; r < rounds; r++ {
		for i := range buf {
			buf[i] = int(mix(uint64(i+r)) % 10007)
		}
		insertionSortPrefix(buf[:512])
	}
	cpuSink += uint64(buf[0])
}

//go:noinline
func insertionSortPrefix(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && less(a[j], a[j-1]); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// less is inlined into insertionSortPrefix.
func less(a, b int) bool { return a < b }

func profileCPU(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	ctx := context.Background()
	pprof.Do(ctx, pprof.Labels("phase", "hash", "worker", "alpha"), func(context.Context) {
		hashLoop(hashRounds)
	})
	pprof.Do(ctx, pprof.Labels("phase", "sort", "worker", "beta"), func(context.Context) {
		sortLoop(sortRounds)
	})
	pprof.StopCPUProfile()
	return f.Close()
}

// ---- heap / allocs ----

var retained [][]byte

// newBuffer is inlined into its callers; the allocation site is inside it.
func newBuffer(n int) []byte { return make([]byte, n) }

//go:noinline
func keepSmall() {
	for i := 0; i < 2000; i++ {
		retained = append(retained, newBuffer(64))
	}
}

//go:noinline
func keepLarge() {
	for i := 0; i < 40; i++ {
		retained = append(retained, newBuffer(64<<10))
	}
}

//go:noinline
func churn() {
	for i := 0; i < 5000; i++ {
		b := newBuffer(512)
		b[0] = byte(i)
		cpuSink += uint64(b[0])
	}
}

func allocate() {
	ctx := context.Background()
	pprof.Do(ctx, pprof.Labels("component", "cache"), func(context.Context) {
		keepSmall()
		keepLarge()
	})
	pprof.Do(ctx, pprof.Labels("component", "parser"), func(context.Context) {
		churn()
	})
}

// ---- mutex ----

type counter struct {
	mu sync.Mutex
	n  int
}

// bump is inlined into contendWorker.
func (c *counter) bump() { c.mu.Lock(); c.n++; c.mu.Unlock() }

//go:noinline
func holdLock(c *counter, d time.Duration) {
	c.mu.Lock()
	time.Sleep(d)
	c.mu.Unlock()
}

//go:noinline
func contendWorker(c *counter, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < 200; i++ {
		c.bump()
	}
}

func contend() {
	c := &counter{}
	var wg sync.WaitGroup
	pprof.Do(context.Background(), pprof.Labels("lock", "counter"), func(context.Context) {
		for round := 0; round < 5; round++ {
			done := make(chan struct{})
			go func() { holdLock(c, 2*time.Millisecond); close(done) }()
			time.Sleep(100 * time.Microsecond)
			wg.Add(4)
			for w := 0; w < 4; w++ {
				go contendWorker(c, &wg)
			}
			wg.Wait()
			<-done
		}
	})
}

// ---- block ----

//go:noinline
func waitFor(ch chan int) int { return <-ch }

//go:noinline
func waitSelect(a, b chan int) int {
	select {
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

func block() {
	for i := 0; i < 10; i++ {
		ch := make(chan int)
		go func(i int) { time.Sleep(time.Millisecond); ch <- i }(i)
		waitFor(ch)
	}
	a, b := make(chan int), make(chan int)
	go func() { time.Sleep(2 * time.Millisecond); b <- 1 }()
	waitSelect(a, b)
}

// ---- goroutines ----

//go:noinline
func idleServer(stop chan struct{}, ready *sync.WaitGroup) {
	ready.Done()
	<-stop
}

//go:noinline
func idleWorker(stop chan struct{}, ready *sync.WaitGroup) {
	ready.Done()
	select {
	case <-stop:
	}
}

// park starts labelled goroutines that stay blocked until the returned
// channel is closed, so the goroutine profile has stable stacks and labels.
func park() chan struct{} {
	stop := make(chan struct{})
	var ready sync.WaitGroup
	ctx := context.Background()
	pprof.Do(ctx, pprof.Labels("role", "server", "shard", "1"), func(ctx context.Context) {
		for i := 0; i < 3; i++ {
			ready.Add(1)
			go idleServer(stop, &ready)
		}
	})
	pprof.Do(ctx, pprof.Labels("role", "worker"), func(ctx context.Context) {
		for i := 0; i < 5; i++ {
			ready.Add(1)
			go idleWorker(stop, &ready)
		}
	})
	ready.Wait()
	return stop
}

//go:noinline
func forgottenReceiver(ch chan int) { <-ch }

// leak starts goroutines blocked on channels that nothing else references:
// Go 1.26+'s goroutineleak profile reports them.
func leak() {
	var ready sync.WaitGroup
	pprof.Do(context.Background(), pprof.Labels("role", "leaky"), func(context.Context) {
		for i := 0; i < 4; i++ {
			ready.Add(1)
			go func() {
				ch := make(chan int)
				ready.Done()
				forgottenReceiver(ch)
			}()
		}
	})
	ready.Wait()
	time.Sleep(5 * time.Millisecond) // let them reach the receive
}
