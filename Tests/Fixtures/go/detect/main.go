// Command detect runs one small HTTP service with one goroutine shape (a leak, or a healthy
// population that looks like one) under load from its own client, and dumps its goroutines
// while it runs. It is the corpus behind bench/detect.sh and DetectionCorpusTests: the
// manifest says which shape ran, whether it leaks and which application function is
// responsible, so a detector's findings can be scored against the truth.
//
//	detect -shape NAME -out DIR [-dumps 3] [-warmup 1s] [-interval 500ms] [-traffic steady|bursty]
//	detect -list
//
// Files written to DIR: goroutine-N.txt (goroutine profile, debug=2) for N = 1…dumps, then
// goroutineleak.txt (Go's goroutineleak profile, debug=2; Go 1.26+ only, taken last because
// its leak check marks goroutines "(leaked)" until the next GC) and manifest.json.
// With -traffic bursty the load stops before the last interval, so the last dump follows a
// quiet interval.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// shape is one service behaviour: what each request does and what runs beside the handlers.
type shape struct {
	name string
	// leak says whether goroutines of this shape pile up forever.
	leak bool
	// heldOut marks shapes kept out of tuning: scored separately.
	heldOut bool
	// responsible is the application function a finding must name (a closure of it counts too).
	responsible string
	// start runs once before the load (background goroutines); may be nil.
	start func(s *service)
	// handle serves one request; n counts requests from 1.
	handle func(s *service, n int64, w http.ResponseWriter, r *http.Request)
}

var shapes = map[string]*shape{}

func register(sh *shape) { shapes[sh.name] = sh }

// service is what every shape runs in: an HTTP server with a worker pool, a backend to call
// and a signal watcher, all healthy.
type service struct {
	addr     string
	backend  string
	client   *http.Client
	jobs     chan int
	requests atomic.Int64
	started  time.Time
}

type manifest struct {
	GoVersion   string   `json:"goVersion"`
	Shape       string   `json:"shape"`
	Leak        bool     `json:"leak"`
	HeldOut     bool     `json:"heldOut"`
	Responsible string   `json:"responsible,omitempty"`
	Traffic     string   `json:"traffic"`
	Dumps       []string `json:"dumps"`
	LeakProfile string   `json:"leakProfile,omitempty"`
	Requests    int64    `json:"requests"`
	Goroutines  []int    `json:"goroutines"`
}

func main() {
	name := flag.String("shape", "", "shape to run (see -list)")
	out := flag.String("out", "", "directory for the dumps and manifest.json")
	dumps := flag.Int("dumps", 3, "goroutine dumps to take")
	warmup := flag.Duration("warmup", time.Second, "load before the first dump")
	interval := flag.Duration("interval", 500*time.Millisecond, "time between dumps")
	traffic := flag.String("traffic", "steady", "steady, or bursty (no load in the last interval)")
	list := flag.Bool("list", false, "print the shapes (name leak heldOut responsible) and exit")
	flag.Parse()
	if *list {
		names := make([]string, 0, len(shapes))
		for n := range shapes {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			sh := shapes[n]
			fmt.Println(n, sh.leak, sh.heldOut, sh.responsible)
		}
		return
	}
	sh := shapes[*name]
	if sh == nil || *out == "" || *dumps < 1 || (*traffic != "steady" && *traffic != "bursty") {
		fmt.Fprintln(os.Stderr, "usage: detect -shape NAME -out DIR [-dumps N] [-traffic steady|bursty]; -list for shapes")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	s := startService(sh)
	var load atomic.Bool
	load.Store(true)
	stopLoad := generateLoad(s, &load)
	time.Sleep(*warmup)
	m := manifest{GoVersion: runtime.Version(), Shape: sh.name, Leak: sh.leak, HeldOut: sh.heldOut,
		Responsible: sh.responsible, Traffic: *traffic}
	for i := 1; i <= *dumps; i++ {
		if i > 1 {
			if i == *dumps && *traffic == "bursty" {
				load.Store(false)
			}
			time.Sleep(*interval)
		}
		file := fmt.Sprintf("goroutine-%d.txt", i)
		writeProfile("goroutine", filepath.Join(*out, file))
		m.Dumps = append(m.Dumps, file)
		m.Goroutines = append(m.Goroutines, runtime.NumGoroutine())
	}
	if pprof.Lookup("goroutineleak") != nil {
		m.LeakProfile = "goroutineleak.txt"
		writeProfile("goroutineleak", filepath.Join(*out, m.LeakProfile))
	}
	stopLoad()
	m.Requests = s.requests.Load()
	data, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(*out, "manifest.json"), append(data, '\n'), 0o644); err != nil {
		fail(err)
	}
	// Leaked goroutines stay blocked; the process simply exits.
}

func writeProfile(name, path string) {
	f, err := os.Create(path)
	if err != nil {
		fail(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, 2); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "detect:", err)
	os.Exit(1)
}

func listen() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	return l
}

// startService starts the backend, the worker pool, the signal watcher, the shape's own
// background goroutines and the HTTP server.
func startService(sh *shape) *service {
	s := &service{jobs: make(chan int, 64), started: time.Now()}
	s.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 5 * time.Second}
	backend := listen()
	s.backend = "http://" + backend.Addr().String()
	go http.Serve(backend, http.HandlerFunc(serveBackend))
	startPool(s.jobs, 16)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	go watchSignals(sigs)
	if sh.start != nil {
		sh.start(s)
	}
	front := listen()
	s.addr = "http://" + front.Addr().String()
	go http.Serve(front, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.requests.Add(1)
		select {
		case s.jobs <- int(n):
		default:
		}
		sh.handle(s, n, w, r)
	}))
	return s
}

// serveBackend answers with a body larger than one read buffer, so a caller that neither
// reads nor closes it keeps the connection busy.
func serveBackend(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(make([]byte, 8<<10))
}

func startPool(jobs chan int, n int) {
	for i := 0; i < n; i++ {
		go poolWorker(jobs)
	}
}

func poolWorker(jobs chan int) {
	for j := range jobs {
		_ = j * j
	}
}

func watchSignals(c chan os.Signal) {
	for range c {
	}
}

// generateLoad runs client workers that call the service while load is true; the returned
// function stops them.
func generateLoad(s *service, load *atomic.Bool) func() {
	var stop atomic.Bool
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 3}, Timeout: 3 * time.Second}
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				if !load.Load() {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				resp, err := client.Get(s.addr + "/work")
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				time.Sleep(15 * time.Millisecond)
			}
		}()
	}
	return func() {
		stop.Store(true)
		wg.Wait()
	}
}
