// Print pprof labels in traceback headers on Go 1.27 whatever go.mod says
// (older toolchains read this line as a comment).
//go:debug tracebacklabels=1

// Command goroutines creates goroutines of every blocking kind, as leaks and as
// healthy long-lived shapes, in known numbers and known functions, then dumps
// itself through net/http/pprof on 127.0.0.1 and writes a manifest of what it
// created, so tests can compare an analysis with the truth.
//
//	goroutines -mode leak|healthy|grow -out DIR [-dumps N] [-interval D]
//
// Modes:
//   - leak:    every blocking kind as a leak, plus the healthy shapes; one dump.
//   - healthy: only the healthy shapes; -dumps dumps, -interval apart.
//   - grow:    the healthy shapes plus two leaks that grow by a known amount
//     between dumps (a request handler that abandons its worker, and
//     receivers on a channel reachable from a global).
//   - large:   the healthy shapes plus -n goroutines over 16 distinct stacks, a
//     fifth labelled; one dump.
//
// Files written to DIR: goroutine-N.txt (goroutine?debug=2), goroutine-N.debug1.txt
// and goroutine-N.pb.gz (debug=1 and debug=0, right after), on Go 1.26+
// goroutineleak-N.txt (goroutineleak?debug=2, taken after goroutine-N.txt),
// and manifest.json. With -sigquit the program then kills itself with SIGQUIT
// (exit status 2), and the runtime writes every goroutine to standard error.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"syscall"
	"time"
)

// group is one set of goroutines the program started at one function.
type group struct {
	// Function is the goroutine's own function, as the traceback names it.
	Function string `json:"function"`
	// Kind is the blocking kind the analysis should report.
	Kind string `json:"kind"`
	// State is the wait reason the runtime should print (without "(leaked)").
	State string `json:"state"`
	// Count is how many goroutines the program started there (per dump for grow).
	Count int `json:"count"`
	// Leak says whether these goroutines can never finish.
	Leak bool `json:"leak"`
	// Labels are the pprof labels the goroutines carry, or nil.
	Labels map[string]string `json:"labels,omitempty"`
	// Counts, for growing groups, is Count at each dump.
	Counts []int `json:"counts,omitempty"`
}

type dumpRecord struct {
	Goroutine     string `json:"goroutine"`
	CountProfile  string `json:"countProfile"`
	ProtoProfile  string `json:"protoProfile"`
	GoroutineLeak string `json:"goroutineLeak,omitempty"`
}

type manifest struct {
	GoVersion string       `json:"goVersion"`
	Mode      string       `json:"mode"`
	Groups    []group      `json:"groups"`
	Dumps     []dumpRecord `json:"dumps"`
	// Labelled is how many goroutines carry pprof labels at the last dump.
	Labelled int `json:"labelled"`
}

var (
	registryMu sync.Mutex
	registry   = map[string]*group{}
)

// record notes that n more goroutines were started in function with the given kind.
func record(function, kind, state string, n int, leak bool, labels map[string]string) {
	registryMu.Lock()
	defer registryMu.Unlock()
	g := registry[function]
	if g == nil {
		g = &group{Function: function, Kind: kind, State: state, Leak: leak, Labels: labels}
		registry[function] = g
	}
	g.Count += n
}

func main() {
	mode := flag.String("mode", "leak", "leak, healthy, grow or large")
	size := flag.Int("n", 20000, "goroutines for -mode large")
	out := flag.String("out", "", "directory for dumps and manifest.json")
	dumps := flag.Int("dumps", 1, "number of dumps (healthy and grow)")
	interval := flag.Duration("interval", 200*time.Millisecond, "time between dumps")
	age := flag.Duration("age", 0, "leak mode: wait this long before dumping, so headers show wait minutes")
	sigquit := flag.Bool("sigquit", false, "after the dumps, end with SIGQUIT so the runtime prints every goroutine to stderr")
	flag.Parse()
	if *out == "" {
		fail(fmt.Errorf("-out is required"))
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	base := "http://" + listener.Addr().String()
	startHealthy(listener, base)

	m := manifest{GoVersion: runtime.Version(), Mode: *mode}
	var grower *grower
	switch *mode {
	case "leak":
		startLeaks()
		*dumps = 1
		if *age > 0 {
			// A GC's stack scan stamps a waiting goroutine with the end time of the previous GC
			// (work.tstart, set at mark termination); the first GC has none to give. Two GCs
			// now, so headers show the minutes.
			settle()
			runtime.GC()
			runtime.GC()
			time.Sleep(*age)
		}
	case "healthy":
	case "large":
		startLarge(*size)
		*dumps = 1
	case "grow":
		grower = newGrower(base)
	default:
		fail(fmt.Errorf("unknown mode %q", *mode))
	}

	for i := 1; i <= *dumps; i++ {
		if i > 1 {
			time.Sleep(*interval)
		}
		if grower != nil {
			grower.grow(i)
		}
		settle()
		rec := dumpRecord{Goroutine: fmt.Sprintf("goroutine-%d.txt", i)}
		if err := fetch(base+"/debug/pprof/goroutine?debug=2", filepath.Join(*out, rec.Goroutine)); err != nil {
			fail(err)
		}
		// The same moment as a count profile (debug=1) and a proto profile (debug=0).
		rec.CountProfile = fmt.Sprintf("goroutine-%d.debug1.txt", i)
		rec.ProtoProfile = fmt.Sprintf("goroutine-%d.pb.gz", i)
		if err := fetch(base+"/debug/pprof/goroutine?debug=1", filepath.Join(*out, rec.CountProfile)); err != nil {
			fail(err)
		}
		if err := fetch(base+"/debug/pprof/goroutine?debug=0", filepath.Join(*out, rec.ProtoProfile)); err != nil {
			fail(err)
		}
		leakName := fmt.Sprintf("goroutineleak-%d.txt", i)
		if *mode == "large" {
			m.Dumps = append(m.Dumps, rec)
			continue // a leak check over every goroutine is slow and adds nothing here
		}
		switch err := fetch(base+"/debug/pprof/goroutineleak?debug=2", filepath.Join(*out, leakName)); err {
		case nil:
			rec.GoroutineLeak = leakName
		case errNotFound: // before Go 1.26
		default:
			fail(err)
		}
		m.Dumps = append(m.Dumps, rec)
	}

	registryMu.Lock()
	for _, g := range registry {
		if g.Labels != nil {
			m.Labelled += g.Count
		}
		m.Groups = append(m.Groups, *g)
	}
	m.Labelled += largeLabelled
	registryMu.Unlock()
	sort.Slice(m.Groups, func(i, j int) bool { return m.Groups[i].Function < m.Groups[j].Function })
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "manifest.json"), data, 0o644); err != nil {
		fail(err)
	}
	if *sigquit {
		// The runtime's own crash dump: with GOTRACEBACK=system it includes runtime goroutines.
		syscall.Kill(os.Getpid(), syscall.SIGQUIT)
		time.Sleep(10 * time.Second)
	}
	os.Exit(0) // the leaks never end; do not wait for them
}

var errNotFound = fmt.Errorf("profile not found")

// fetch saves one pprof endpoint's body. The default client's idle
// keep-alive connection to our own server stays open: a healthy shape.
func fetch(url, path string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		io.Copy(io.Discard, resp.Body)
		return errNotFound
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// settle gives every started goroutine time to reach its blocking point:
// each one announces itself on parked just before it blocks.
func settle() {
	for pending.Load() != 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "goroutines:", err)
	os.Exit(1)
}
