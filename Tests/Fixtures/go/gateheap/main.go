// Command gateheap writes two heap profiles for `leakscope gate heap` tests: before.pb.gz, then
// after.pb.gz once a cache has kept 8 MB alive (the regression) and a buffer pool 64 kB (small growth
// that stays under the gate's limits). Standard library only.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// Record every allocation so the profiles do not depend on sampling luck.
func init() { runtime.MemProfileRate = 1 }

type cache struct{ entries [][]byte }

//go:noinline
func (c *cache) fill(n, size int) {
	for i := 0; i < n; i++ {
		c.entries = append(c.entries, make([]byte, size))
	}
}

type pool struct{ buffers [][]byte }

//go:noinline
func (p *pool) grow(n int) {
	for i := 0; i < n; i++ {
		p.buffers = append(p.buffers, make([]byte, 1024))
	}
}

var (
	keep  = &cache{}
	spare = &pool{}
)

func write(dir, name string) {
	runtime.GC()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		log.Fatal(err)
	}
	f.Close()
}

func main() {
	out := flag.String("out", ".", "directory to write the profiles into")
	flag.Parse()
	keep.fill(16, 64<<10)  // 1 MB before
	spare.grow(64)         // 64 kB before
	write(*out, "before.pb.gz")
	keep.fill(128, 64<<10) // +8 MB: fails the gate
	spare.grow(64)         // +64 kB: under the 1 MB limit
	write(*out, "after.pb.gz")
	runtime.KeepAlive(keep)
	runtime.KeepAlive(spare)
}
