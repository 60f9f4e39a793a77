// Command diagnose writes real runtime profiles of small, known problems for
// leakscope's heap, CPU and contention analyses. Standard library only; builds
// with go1.19 and later.
//
//	-mode heap        heap-N.pb.gz, allocs-N.pb.gz, heap-N.txt: a map cache that
//	                  leaks steadily, one big allocation made once, and churn
//	-mode heap-goroutines  heap-N.pb.gz: goroutines leaking 2,000 per interval
//	-mode heap-shapes heap-N.pb.gz: retained bytes.Buffers, unstopped timers, pool
//	                  buffers never put back, sub-slices pinning large arrays
//	-mode heap-spread heap-N.pb.gz: steady growth spread over twenty small sites
//	-mode cpu         cpu.pb.gz: a validator that compiles its regexp per call
//	-mode cpu-alloc   cpu.pb.gz: a function that allocates and drops a linked list per call
//	-mode cpu-idle    cpu.pb.gz: a program that mostly sleeps
//	-mode contention  mutex-N.pb.gz, block-N.pb.gz: workers fighting for one lock
//	-mode idle-wait   mutex-N.pb.gz, block-N.pb.gz: workers waiting on a channel
//
// The tests assert on the function names and lines below: keep the marked
// lines where they are or update the tests.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
)

var (
	outDir = flag.String("out", ".", "directory to write the profiles into")
	mode   = flag.String("mode", "heap", "heap | heap-goroutines | heap-shapes | heap-spread | cpu | cpu-alloc | cpu-idle | contention | idle-wait")
)

func main() {
	flag.Parse()
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fail(err)
	}
	var err error
	switch *mode {
	case "heap":
		err = heapMode(*outDir)
	case "heap-spread":
		err = heapSpreadMode(*outDir)
	case "heap-shapes":
		err = heapShapesMode(*outDir)
	case "heap-goroutines":
		err = goroutineHeapMode(*outDir)
	case "cpu":
		err = cpuMode(*outDir, "hot")
	case "cpu-idle":
		err = cpuMode(*outDir, "idle")
	case "cpu-alloc":
		err = cpuMode(*outDir, "alloc")
	case "contention":
		err = contentionMode(*outDir, true)
	case "idle-wait":
		err = contentionMode(*outDir, false)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "diagnose:", err)
	os.Exit(1)
}

// writeProfile writes the named runtime profile to dir/file (debug 0 = gzipped proto, 1 = text).
func writeProfile(name, dir, file string, debug int) error {
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		return err
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
