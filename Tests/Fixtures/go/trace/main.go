// Command trace writes Go execution traces of small programs with known goroutine lifecycles,
// for leakscope's trace reader tests. Stdlib only; runs under any Go that has runtime/trace.
//
//	trace -out DIR [-shape leak|healthy|storm|busy|slow] [-duration 1.2s] [-dumps 200ms,500ms] [-warmup 500ms]
//
// writes DIR/<shape>.trace, and with -dumps a goroutine dump (goroutine?debug=2 format) at each of
// the given times after the trace started, as DIR/<shape>-dump-N.txt: snapshots taken inside the
// traced window, for diagnose's tests of traces as evidence. With -warmup the shape runs that long
// before the trace starts, so the trace begins with goroutines it did not see created.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"time"
)

func main() {
	out := flag.String("out", ".", "output folder")
	shape := flag.String("shape", "leak", "program shape: leak, healthy, storm or busy")
	duration := flag.Duration("duration", 1200*time.Millisecond, "how long to trace")
	dumps := flag.String("dumps", "", "comma-separated times after the start to write goroutine dumps at")
	warmup := flag.Duration("warmup", 0, "how long the shape runs before the trace starts")
	flag.Parse()
	run, ok := shapes[*shape]
	if !ok {
		log.Fatalf("unknown shape %q", *shape)
	}
	f, err := os.Create(filepath.Join(*out, *shape+".trace"))
	if err != nil {
		log.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	if *warmup > 0 {
		// Goroutines the shape starts now exist before the trace: it sees them only through status events.
		go func() { run(stop); close(done) }()
		time.Sleep(*warmup)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	if *warmup == 0 {
		go func() { run(stop); close(done) }()
	}
	started := time.Now()
	if *dumps != "" {
		for n, text := range strings.Split(*dumps, ",") {
			at, err := time.ParseDuration(text)
			if err != nil {
				log.Fatal(err)
			}
			time.Sleep(time.Until(started.Add(at)))
			writeDump(filepath.Join(*out, fmt.Sprintf("%s-dump-%d.txt", *shape, n+1)))
		}
	}
	time.Sleep(time.Until(started.Add(*duration)))
	close(stop)
	<-done
	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// writeDump writes every goroutine's stack as goroutine?debug=2 does.
func writeDump(path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("goroutine").WriteTo(f, 2); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

var shapes = map[string]func(stop chan struct{}){
	"slow":    slowShape,
	"leak":    leakShape,
	"healthy": healthyShape,
	"storm":   stormShape,
	"busy":    busyShape,
}
