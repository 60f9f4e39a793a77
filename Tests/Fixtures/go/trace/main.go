// Command trace writes Go execution traces of small programs with known goroutine lifecycles,
// for leakscope's trace reader tests. Stdlib only; runs under any Go that has runtime/trace.
//
//	trace -out DIR [-shape leak|healthy|storm|busy] [-duration 1.2s]
//
// writes DIR/<shape>.trace.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"runtime/trace"
	"time"
)

func main() {
	out := flag.String("out", ".", "output folder")
	shape := flag.String("shape", "leak", "program shape: leak, healthy, storm or busy")
	duration := flag.Duration("duration", 1200*time.Millisecond, "how long to trace")
	flag.Parse()
	run, ok := shapes[*shape]
	if !ok {
		log.Fatalf("unknown shape %q", *shape)
	}
	f, err := os.Create(filepath.Join(*out, *shape+".trace"))
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { run(stop); close(done) }()
	time.Sleep(*duration)
	close(stop)
	<-done
	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

var shapes = map[string]func(stop chan struct{}){
	"leak":    leakShape,
	"healthy": healthyShape,
	"storm":   stormShape,
	"busy":    busyShape,
}
