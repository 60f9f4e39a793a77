// Command report writes real CPU and heap profiles for leakscope's pprof report
// tests: labelled goroutines, inlined helpers, several call paths and sizes.
//
//	report OUTDIR
//
// writes OUTDIR/cpu.pb.gz, OUTDIR/heap_a.pb.gz and OUTDIR/heap_b.pb.gz.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"
)

var sink [][]byte

// small is inlined into its callers.
func small(n int) []byte { return make([]byte, n) }

//go:noinline
func allocLeaf(n int) { sink = append(sink, small(n)) }

//go:noinline
func allocMiddle(n int) {
	for i := 0; i < 4; i++ {
		allocLeaf(n)
	}
}

//go:noinline
func allocBig() { sink = append(sink, make([]byte, 1<<20)) }

//go:noinline
func allocTop(n int) {
	allocMiddle(n)
	allocLeaf(n * 3)
}

func spin(d time.Duration) int {
	x := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		x += hashStep(x)
	}
	return x
}

// hashStep is inlined into spin.
func hashStep(x int) int { return (x*31 + 7) % 1000003 }

//go:noinline
func burnA(d time.Duration) int { return spin(d) }

//go:noinline
func burnB(d time.Duration) int { return spin(d) + burnA(d/2) }

func writeHeap(path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		panic(err)
	}
	f.Close()
}

func main() {
	out := flag.String("out", "", "directory to write the profiles into")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: report -out DIR")
		os.Exit(2)
	}
	dir := *out
	runtime.MemProfileRate = 1

	ctx := context.Background()
	pprof.Do(ctx, pprof.Labels("phase", "warm", "user", "alice"), func(context.Context) {
		for i := 0; i < 50; i++ {
			allocTop(64 + i)
		}
	})
	pprof.Do(ctx, pprof.Labels("phase", "steady"), func(context.Context) {
		for i := 0; i < 20; i++ {
			allocMiddle(4096)
		}
		allocBig()
	})
	writeHeap(filepath.Join(dir, "heap_a.pb.gz"))

	pprof.Do(ctx, pprof.Labels("phase", "late"), func(context.Context) {
		for i := 0; i < 30; i++ {
			allocTop(100)
		}
		allocBig()
		allocBig()
	})
	writeHeap(filepath.Join(dir, "heap_b.pb.gz"))

	cpu, err := os.Create(filepath.Join(dir, "cpu.pb.gz"))
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		panic(err)
	}
	total := 0
	pprof.Do(ctx, pprof.Labels("worker", "a"), func(context.Context) { total += burnA(300 * time.Millisecond) })
	pprof.Do(ctx, pprof.Labels("worker", "b"), func(context.Context) { total += burnB(300 * time.Millisecond) })
	pprof.StopCPUProfile()
	cpu.Close()
	fmt.Println(total != 42)
}
