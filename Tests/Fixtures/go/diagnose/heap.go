package main

import (
	"fmt"
	"runtime"
	"time"
)

// ResponseCache is the classic leak: entries go in, nothing ever takes them out.
type ResponseCache struct {
	entries map[string][]byte
}

var cache = &ResponseCache{entries: map[string][]byte{}}

// Put stores a copy of body under key, forever. Not inlined, so every toolchain
// reports it as its own frame.
//
//go:noinline
func (c *ResponseCache) Put(key string, body []byte) {
	// make+copy would compile to runtime.makeslicecopy, whose allocations go1.19
	// charges to the caller (Put's frame is lost); make+append is charged to Put.
	stored := make([]byte, 0, len(body)) // leak site (heap.go:23)
	stored = append(stored, body...)
	c.entries[key] = stored
}

// lookupTable is loaded once and kept: a one-off step, not a leak.
var lookupTable []byte

//go:noinline
func loadTable() {
	lookupTable = make([]byte, 8<<20) // one-off site (heap.go:33)
	for i := range lookupTable {
		lookupTable[i] = byte(i)
	}
}

var sink int

// handleRequest allocates and drops: churn the GC takes back.
//
//go:noinline
func handleRequest(n int) {
	scratch := make([]byte, 64<<10) // churn site (heap.go:45)
	for i := range scratch {
		scratch[i] = byte(n + i)
	}
	sink += int(scratch[n%len(scratch)])
}

const heapSnapshots = 6

func heapMode(dir string) error {
	// Record every allocation so the profile does not depend on sampling luck.
	runtime.MemProfileRate = 1
	body := make([]byte, 4<<10)
	request := 0
	for snap := 1; snap <= heapSnapshots; snap++ {
		if snap > 1 {
			// 512 entries × 4 KiB = 2 MiB retained per interval.
			for i := 0; i < 512; i++ {
				request++
				cache.Put(fmt.Sprint("key-", request), body)
				handleRequest(request)
			}
			if snap == 2 {
				loadTable()
			}
		}
		time.Sleep(150 * time.Millisecond)
		runtime.GC() // like /debug/pprof/heap?gc=1
		for _, p := range []struct {
			name, file string
			debug      int
		}{
			{"heap", fmt.Sprintf("heap-%d.pb.gz", snap), 0},
			{"allocs", fmt.Sprintf("allocs-%d.pb.gz", snap), 0},
			{"heap", fmt.Sprintf("heap-%d.txt", snap), 1},
		} {
			if err := writeProfile(p.name, dir, p.file, p.debug); err != nil {
				return err
			}
		}
	}
	return nil
}
