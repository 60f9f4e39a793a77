package main

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Four more ways to leak memory, each growing ~1.5 MiB per interval, so the hints can be checked
// against the stacks Go really writes.

// auditLog keeps every request's rendered buffer: a bytes.Buffer retained and grown.
var auditLog []*bytes.Buffer

//go:noinline
func recordAudit(i int) {
	var b bytes.Buffer
	for j := 0; j < 48; j++ {
		b.WriteString("request audit line ........................................\n") // buffer site (heapshapes.go:21)
	}
	auditLog = append(auditLog, &b)
}

// deadlines keeps a timer per request and never stops or drops it.
var deadlines = map[int]*time.Timer{}

//go:noinline
func armDeadline(i int) {
	deadlines[i] = time.NewTimer(time.Hour) // timer site (heapshapes.go:31)
}

// scratchPool hands out 64 KiB buffers that holdScratch keeps instead of putting back.
var scratchPool = sync.Pool{New: func() any { return make([]byte, 64<<10) }}
var held [][]byte

//go:noinline
func holdScratch() {
	buf := scratchPool.Get().([]byte) // pool site (heapshapes.go:40)
	held = append(held, buf)
}

// headers keeps a 16-byte prefix of each 512 KiB read: the whole array stays alive.
var headers [][]byte

//go:noinline
func readFrame() {
	frame := make([]byte, 512<<10) // sub-slice site (heapshapes.go:49)
	headers = append(headers, frame[:16])
}

func heapShapesMode(dir string) error {
	runtime.MemProfileRate = 1
	for snap := 1; snap <= 3; snap++ {
		if snap > 1 {
			for i := 0; i < 500; i++ {
				recordAudit(i)
			}
			for i := 0; i < 6000; i++ {
				armDeadline(snap*10000 + i)
			}
			for i := 0; i < 24; i++ {
				holdScratch()
			}
			for i := 0; i < 3; i++ {
				readFrame()
			}
		}
		time.Sleep(100 * time.Millisecond)
		runtime.GC()
		if err := writeProfile("heap", dir, fmt.Sprintf("heap-%d.pb.gz", snap), 0); err != nil {
			return err
		}
	}
	return nil
}
