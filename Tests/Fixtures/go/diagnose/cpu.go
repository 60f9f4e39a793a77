package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

// validate checks an e-mail address the slow way: it compiles its pattern on every call.
func validate(address string) bool {
	re := regexp.MustCompile(`^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$`) // hot site (cpu.go:15)
	return re.MatchString(address)
}

var valid int

func serveValidations(done func() bool) {
	for !done() {
		for i := 0; i < 50; i++ {
			if validate(strings.Repeat("a", i%7+1) + "@example.com") {
				valid++
			}
		}
	}
}

// tick does a little work now and then, like an idle service answering health checks.
func tick(until time.Time) {
	for time.Now().Before(until) {
		valid += len(strings.Repeat("x", 64))
		time.Sleep(20 * time.Millisecond)
	}
}

type node struct {
	next  *node
	label string
	value [4]int
}

var longest int

// resident stays alive for the whole run.
var resident *node

// buildIndex allocates a fresh linked list per call and drops it: allocation and GC dominate.
//
//go:noinline
func buildIndex(n int) {
	var head *node
	for i := 0; i < n; i++ {
		head = &node{next: head, value: [4]int{i}} // allocation site (cpu.go:56)
	}
	length := 0
	for p := head; p != nil; p = p.next {
		length++
	}
	if length > longest {
		longest = length
	}
}

func serveIndexes(done func() bool) {
	for !done() {
		buildIndex(2000)
	}
}

// cpuBudget returns a check that says when the process has used `budget` of CPU time (user +
// system) or `wallCap` has passed: busy workloads then give the profile enough samples even when
// other processes share the machine.
func cpuBudget(budget, wallCap time.Duration) func() bool {
	start := processCPU()
	deadline := time.Now().Add(wallCap)
	return func() bool { return processCPU()-start >= budget || time.Now().After(deadline) }
}

func processCPU() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

// cpuMode profiles the chosen workload: "hot" (regexp per call) or "alloc" until they used 1.2 s of
// CPU (at most 10 s), or 1.5 s of an idle program.
func cpuMode(dir string, workload string) error {
	f, err := os.Create(filepath.Join(dir, "cpu.pb.gz"))
	if err != nil {
		return err
	}
	if workload == "alloc" {
		// A resident pointer structure every GC cycle must mark.
		for i := 0; i < 200000; i++ {
			resident = &node{next: resident}
		}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	switch workload {
	case "hot":
		serveValidations(cpuBudget(1200*time.Millisecond, 10*time.Second))
	case "alloc":
		serveIndexes(cpuBudget(1200*time.Millisecond, 10*time.Second))
	default:
		tick(time.Now().Add(1500 * time.Millisecond))
	}
	pprof.StopCPUProfile()
	return f.Close()
}
