// Command detect runs one small HTTP service with one goroutine shape (a leak, or a healthy
// population that looks like one) under load from its own client, and dumps its goroutines
// while it runs. It is the corpus behind bench/detect.sh and DetectionCorpusTests: the
// manifest says which shape ran, whether it leaks and which application function is
// responsible, so a detector's findings can be scored against the truth.
//
//	detect -shape NAME -out DIR [-dumps 3] [-warmup 1s] [-interval 500ms] [-traffic steady|bursty]
//	detect -list
//
// Files written to DIR: goroutine-N.txt (goroutine profile, debug=2) and heap-N.pb.gz (heap
// profile, sampled every 4 KiB so a short run holds enough samples) for N = 1…dumps, then
// goroutineleak.txt (Go's goroutineleak profile, debug=2; Go 1.26+ only, taken last because
// its leak check marks goroutines "(leaked)" until the next GC) and manifest.json.
// With -traffic bursty the load stops before the last interval, so the last dump follows a
// quiet interval. The load and the backend the service calls run in child processes (the same
// program with -role load or -role backend), so the dumps hold the service alone.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
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
	Heaps       []string `json:"heaps"`
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
	role := flag.String("role", "service", "service, or (started by the service) backend or load")
	target := flag.String("target", "", "with -role load: the service's base URL")
	flag.Parse()
	switch *role {
	case "backend":
		runBackend()
		return
	case "load":
		runLoad(*target)
		return
	}
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
	runtime.MemProfileRate = 4096
	backend := startChild("-role", "backend")
	s := startService(sh, "http://"+backend.firstLine)
	load := startChild("-role", "load", "-target", s.addr)
	time.Sleep(*warmup)
	m := manifest{GoVersion: runtime.Version(), Shape: sh.name, Leak: sh.leak, HeldOut: sh.heldOut,
		Responsible: sh.responsible, Traffic: *traffic}
	for i := 1; i <= *dumps; i++ {
		if i > 1 {
			if i == *dumps && *traffic == "bursty" {
				load.stop()
			}
			time.Sleep(*interval)
		}
		file := fmt.Sprintf("goroutine-%d.txt", i)
		writeProfile("goroutine", filepath.Join(*out, file), 2)
		m.Dumps = append(m.Dumps, file)
		runtime.GC() // the heap profile is as of the last GC
		heap := fmt.Sprintf("heap-%d.pb.gz", i)
		writeProfile("heap", filepath.Join(*out, heap), 0)
		m.Heaps = append(m.Heaps, heap)
		m.Goroutines = append(m.Goroutines, runtime.NumGoroutine())
	}
	if pprof.Lookup("goroutineleak") != nil {
		m.LeakProfile = "goroutineleak.txt"
		writeProfile("goroutineleak", filepath.Join(*out, m.LeakProfile), 2)
	}
	load.stop()
	backend.stop()
	m.Requests = s.requests.Load()
	data, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(*out, "manifest.json"), append(data, '\n'), 0o644); err != nil {
		fail(err)
	}
	// Leaked goroutines stay blocked; the process simply exits.
}

func writeProfile(name, path string, debug int) {
	f, err := os.Create(path)
	if err != nil {
		fail(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
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

// child is this program run in another role.
type child struct {
	cmd       *exec.Cmd
	firstLine string
}

// startChild runs this program with args; a backend prints its address as its first line.
func startChild(args ...string) *child {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		fail(err)
	}
	_ = stdin // closed when this process exits, which ends the child
	out, err := cmd.StdoutPipe()
	if err != nil {
		fail(err)
	}
	if err := cmd.Start(); err != nil {
		fail(err)
	}
	c := &child{cmd: cmd}
	if args[1] == "backend" {
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			fail(fmt.Errorf("backend: %v", err))
		}
		c.firstLine = strings.TrimSpace(line)
	}
	return c
}

func (c *child) stop() {
	if c.cmd.ProcessState == nil {
		c.cmd.Process.Kill()
		c.cmd.Wait()
	}
}

// exitWithParent ends a child process when its parent goes away (its stdin closes).
func exitWithParent() {
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
}

// runBackend serves the service's outbound calls.
func runBackend() {
	exitWithParent()
	l := listen()
	fmt.Println(l.Addr().String())
	http.Serve(l, http.HandlerFunc(serveBackend))
}

// startService starts the worker pool, the signal watcher, the shape's own background
// goroutines and the HTTP server.
func startService(sh *shape, backend string) *service {
	s := &service{jobs: make(chan int, 64), started: time.Now(), backend: backend}
	s.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 5 * time.Second}
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

// runLoad calls the service from client workers until the parent stops it. Each worker keeps
// one connection (as many idle and open connections as workers): the service's connection
// goroutines stay the same six from the first dump on. With fewer idle connections than
// workers, a slow runner's overlapping requests opened more connections over the run (3, then 5,
// then 6), and connection goroutines that appeared between dumps and never ended read as a leak
// in the handler: a client population that grows looks the same in three dumps.
func runLoad(target string) {
	exitWithParent()
	const workers = 6
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers},
		Timeout: 3 * time.Second}
	for i := 0; i < workers; i++ {
		go func() {
			for {
				resp, err := client.Get(target + "/work")
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				time.Sleep(15 * time.Millisecond)
			}
		}()
	}
	select {}
}
