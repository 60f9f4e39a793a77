// Command codec writes real runtime/pprof profiles (gzipped profile.proto) into
// the directory given by -out: cpu, heap, allocs, goroutine,
// threadcreate, mutex and block, with pprof labels and inlined frames, for the
// leakscope codec tests. Standard library only.
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

var sink [][]byte

// leaf is small enough to be inlined into its callers.
func leaf(n int) []byte { return make([]byte, n) }

//go:noinline
func allocA(n int) { sink = append(sink, leaf(n)) }

//go:noinline
func allocB(n int) { sink = append(sink, leaf(n*3)) }

//go:noinline
func spin(d time.Duration) int {
	x := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 10000; i++ {
			x += i * i
		}
	}
	return x
}

func contend(mu *sync.Mutex, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < 200; i++ {
		mu.Lock()
		time.Sleep(10 * time.Microsecond)
		mu.Unlock()
	}
}

func write(dir, name string, f func(*os.File) error) {
	file, err := os.Create(filepath.Join(dir, name+".pb"))
	if err != nil {
		panic(err)
	}
	if err := f(file); err != nil {
		panic(err)
	}
	if err := file.Close(); err != nil {
		panic(err)
	}
}

func main() {
	out := flag.String("out", "", "directory to write the profiles into")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: codec -out DIR")
		os.Exit(2)
	}
	dir := *out
	runtime.MemProfileRate = 1
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)

	cpu, err := os.Create(filepath.Join(dir, "cpu.pb"))
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		panic(err)
	}
	ctx := context.Background()
	pprof.Do(ctx, pprof.Labels("worker", "spin", "phase", "one"), func(context.Context) { spin(150 * time.Millisecond) })
	pprof.Do(ctx, pprof.Labels("worker", "alloc"), func(context.Context) {
		for i := 0; i < 2000; i++ {
			allocA(64 + i%7)
			allocB(32 + i%5)
		}
		spin(100 * time.Millisecond)
	})
	pprof.StopCPUProfile()
	cpu.Close()

	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go contend(&mu, &wg)
	}
	wg.Wait()

	block := make(chan struct{})
	for i := 0; i < 5; i++ {
		go pprof.Do(ctx, pprof.Labels("blocked", fmt.Sprint(i)), func(context.Context) { <-block })
	}
	time.Sleep(20 * time.Millisecond)
	runtime.GC()

	for _, name := range []string{"heap", "allocs", "goroutine", "threadcreate", "mutex", "block"} {
		write(dir, name, func(f *os.File) error { return pprof.Lookup(name).WriteTo(f, 0) })
	}
	close(block)
}
