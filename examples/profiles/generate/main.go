// Command generate writes the small real profiles in examples/profiles: a CPU profile and two heap
// profiles (halfway and at the end) of a toy "service" that parses requests, caches results (a
// deliberate leak) and compresses responses. Standard library only.
//
//	cd examples/profiles/generate && GOTOOLCHAIN=local GOPROXY=off go run . -out ..
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

type request struct {
	ID      int               `json:"id"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// cache is never evicted: the heap profile shows it growing.
var cache = map[string][]byte{}

//go:noinline
func parseRequest(raw []byte) request {
	var r request
	if err := json.Unmarshal(raw, &r); err != nil {
		log.Fatal(err)
	}
	return r
}

//go:noinline
func checksum(r request) string {
	sum := sha256.Sum256([]byte(r.Body))
	return fmt.Sprintf("%x", sum[:8])
}

//go:noinline
func remember(key string, r request) {
	cache[key] = []byte(strings.Repeat(r.Body, 4))
}

//go:noinline
func compress(r request) int {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	for i := 0; i < 8; i++ {
		w.Write([]byte(r.Body))
	}
	w.Close()
	return buf.Len()
}

//go:noinline
func handle(raw []byte) int {
	r := parseRequest(raw)
	key := checksum(r)
	remember(key, r)
	return compress(r)
}

func serve(ctx context.Context, first int, until time.Time) (requests, bytesOut int) {
	for i := first; time.Now().Before(until); i++ {
		body := strings.Repeat(fmt.Sprintf("payload-%d ", i), 20+i%50)
		raw, _ := json.Marshal(request{ID: i, Path: "/api/items", Headers: map[string]string{"Accept": "*/*"}, Body: body})
		pprof.Do(ctx, pprof.Labels("endpoint", []string{"/api/items", "/api/users"}[i%2]), func(context.Context) {
			bytesOut += handle(raw)
		})
		requests++
	}
	return
}

func main() {
	out := flag.String("out", ".", "directory to write cpu.pb.gz, heap-1.pb.gz and heap-2.pb.gz into")
	seconds := flag.Float64("seconds", 1.5, "how long to run the CPU profile")
	flag.Parse()
	runtime.MemProfileRate = 4096

	cpuFile, err := os.Create(filepath.Join(*out, "cpu.pb.gz"))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(cpuFile); err != nil {
		log.Fatal(err)
	}
	half := time.Duration(*seconds * float64(time.Second) / 2)
	requests, bytesOut := serve(context.Background(), 0, time.Now().Add(half))
	writeHeap(filepath.Join(*out, "heap-1.pb.gz"))
	moreRequests, moreBytes := serve(context.Background(), requests, time.Now().Add(half))
	requests, bytesOut = requests+moreRequests, bytesOut+moreBytes
	pprof.StopCPUProfile()
	cpuFile.Close()
	writeHeap(filepath.Join(*out, "heap-2.pb.gz"))
	fmt.Fprintf(os.Stderr, "served %d requests, %d bytes, %d cache entries\n", requests, bytesOut, len(cache))
}

func writeHeap(path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
