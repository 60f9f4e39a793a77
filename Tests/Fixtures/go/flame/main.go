// Command flame writes heap profiles for leakscope's flame-graph tests.
//
// It always writes before.pb.gz and after.pb.gz, two in-use heap snapshots
// between which grows() holds more memory, shrinks() less, and steady() the
// same. With -stacks N it also writes stacks.pb.gz, whose allocations come
// from N distinct call stacks: eight levels of calls, each level one of
// twelve functions picked by a base-12 digit of the stack number.
// Standard library only.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

func init() { runtime.MemProfileRate = 1 } // record every allocation

var (
	outDir = flag.String("out", ".", "directory to write the profiles into")
	stacks = flag.Int("stacks", 0, "distinct stacks in stacks.pb.gz (0: do not write it)")
)

const levels = 8

var (
	sink  [][]byte
	pow12 [levels]int
	calls [12]func(level, i int)
)

func init() {
	pow12[levels-1] = 1
	for l := levels - 2; l >= 0; l-- {
		pow12[l] = pow12[l+1] * 12
	}
	calls = [12]func(level, i int){f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11}
}

// next calls the function the level's digit of i picks, or allocates below the last level.
func next(level, i int) {
	if level == levels {
		sink[i] = make([]byte, 16+i%48)
		return
	}
	calls[(i/pow12[level])%12](level+1, i)
}

//go:noinline
func f0(level, i int) { next(level, i) }

//go:noinline
func f1(level, i int) { next(level, i) }

//go:noinline
func f2(level, i int) { next(level, i) }

//go:noinline
func f3(level, i int) { next(level, i) }

//go:noinline
func f4(level, i int) { next(level, i) }

//go:noinline
func f5(level, i int) { next(level, i) }

//go:noinline
func f6(level, i int) { next(level, i) }

//go:noinline
func f7(level, i int) { next(level, i) }

//go:noinline
func f8(level, i int) { next(level, i) }

//go:noinline
func f9(level, i int) { next(level, i) }

//go:noinline
func f10(level, i int) { next(level, i) }

//go:noinline
func f11(level, i int) { next(level, i) }

var grown, shrunk, kept [][]byte

//go:noinline
func grows(n int) {
	for i := 0; i < n; i++ {
		grown = append(grown, make([]byte, 1024))
	}
}

//go:noinline
func shrinks(n int) {
	for i := 0; i < n; i++ {
		shrunk = append(shrunk, make([]byte, 1024))
	}
}

//go:noinline
func steady(n int) {
	for i := 0; i < n; i++ {
		kept = append(kept, make([]byte, 1024))
	}
}

func write(path string) error {
	runtime.GC() // the in-use profile is as of the last completed collection
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	grown = make([][]byte, 0, 1000)
	shrunk = make([][]byte, 0, 1000)
	kept = make([][]byte, 0, 1000)
	grows(100)
	shrinks(400)
	steady(200)
	if err := write(filepath.Join(dir, "before.pb.gz")); err != nil {
		return err
	}
	grows(300)
	for i := 100; i < len(shrunk); i++ {
		shrunk[i] = nil // let 300 of the 400 blocks go
	}
	if err := write(filepath.Join(dir, "after.pb.gz")); err != nil {
		return err
	}
	if *stacks > 0 {
		sink = make([][]byte, *stacks)
		for i := 0; i < *stacks; i++ {
			next(0, i)
		}
		if err := write(filepath.Join(dir, "stacks.pb.gz")); err != nil {
			return err
		}
	}
	runtime.KeepAlive(grown)
	runtime.KeepAlive(shrunk)
	runtime.KeepAlive(kept)
	return nil
}

func main() {
	flag.Parse()
	if err := run(*outDir); err != nil {
		fmt.Fprintln(os.Stderr, "flame:", err)
		os.Exit(1)
	}
}
