package main

import (
	"fmt"
	"runtime"
	"time"
)

// kept is filled from twenty different allocation sites: the heap grows steadily, but no
// single site grows enough to stand out.
var kept [][]byte

//go:noinline
func allocateFor(kind int) {
	switch kind {
	case 0:
		kept = append(kept, make([]byte, 8<<10))
	case 1:
		kept = append(kept, make([]byte, 8<<10))
	case 2:
		kept = append(kept, make([]byte, 8<<10))
	case 3:
		kept = append(kept, make([]byte, 8<<10))
	case 4:
		kept = append(kept, make([]byte, 8<<10))
	case 5:
		kept = append(kept, make([]byte, 8<<10))
	case 6:
		kept = append(kept, make([]byte, 8<<10))
	case 7:
		kept = append(kept, make([]byte, 8<<10))
	case 8:
		kept = append(kept, make([]byte, 8<<10))
	case 9:
		kept = append(kept, make([]byte, 8<<10))
	case 10:
		kept = append(kept, make([]byte, 8<<10))
	case 11:
		kept = append(kept, make([]byte, 8<<10))
	case 12:
		kept = append(kept, make([]byte, 8<<10))
	case 13:
		kept = append(kept, make([]byte, 8<<10))
	case 14:
		kept = append(kept, make([]byte, 8<<10))
	case 15:
		kept = append(kept, make([]byte, 8<<10))
	case 16:
		kept = append(kept, make([]byte, 8<<10))
	case 17:
		kept = append(kept, make([]byte, 8<<10))
	case 18:
		kept = append(kept, make([]byte, 8<<10))
	case 19:
		kept = append(kept, make([]byte, 8<<10))
	}
}

func heapSpreadMode(dir string) error {
	runtime.MemProfileRate = 1
	for snap := 1; snap <= 4; snap++ {
		if snap > 1 {
			// 20 sites × 16 × 8 KiB = 2.5 MiB per interval, 128 KiB per site.
			for i := 0; i < 320; i++ {
				allocateFor(i % 20)
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
