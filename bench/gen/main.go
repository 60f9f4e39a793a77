// Command gen writes two large heap profiles for leakscope's benchmark, using only the standard library.
//
// With MemProfileRate=1 it allocates along -n distinct call stacks (8 levels × 12 generated
// //go:noinline functions, chosen by the base-12 digits of the path number) and writes heap_a.pb.gz;
// then it allocates along -extra new stacks plus every third old one (with another size, so those are
// new samples too) and writes heap_b.pb.gz. Everything allocated stays reachable, so both
// snapshots hold all of it as in-use memory.
//
//	go run . -out ../out -n 300000 -extra 100000
//
//go:generate go run ./internal/gensrc
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

func init() { runtime.MemProfileRate = 1 }

var kept [][]byte

// retain is called at the bottom of every generated stack.
//
//go:noinline
func retain(size int) { kept = append(kept, make([]byte, size)) }

// digit is the level-th base-fanout digit of path, most significant first.
func digit(path, level int) int {
	for i := level; i < levels-1; i++ {
		path /= fanout
	}
	return path % fanout
}

// allocate walks the stack numbered path and allocates size bytes at its bottom.
//
//go:noinline
func allocate(path, size int) { steps[0][digit(path, 0)](path, size) }

func main() {
	out := flag.String("out", ".", "directory for heap_a.pb.gz and heap_b.pb.gz")
	n := flag.Int("n", 300000, "distinct stacks in heap_a")
	extra := flag.Int("extra", 100000, "new stacks added for heap_b")
	flag.Parse()
	if *n+*extra > pathLimit() {
		fail(fmt.Errorf("-n + -extra must be at most %d", pathLimit()))
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	kept = make([][]byte, 0, *n+*extra+*n/3+1)
	for path := 0; path < *n; path++ {
		allocate(path, 16)
	}
	write(filepath.Join(*out, "heap_a.pb.gz"))
	for path := *n; path < *n+*extra; path++ {
		allocate(path, 16)
	}
	for path := 0; path < *n; path += 3 {
		allocate(path, 48)
	}
	write(filepath.Join(*out, "heap_b.pb.gz"))
}

func pathLimit() int {
	limit := 1
	for i := 0; i < levels; i++ {
		limit *= fanout
	}
	return limit
}

func write(path string) {
	// The heap profile shows the state as of the last completed GC cycle.
	runtime.GC()
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		fail(err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
	fmt.Println("wrote", path)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}
