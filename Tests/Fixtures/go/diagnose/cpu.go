package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strings"
	"time"
)

// validate checks an e-mail address the slow way: it compiles its pattern on every call.
func validate(address string) bool {
	re := regexp.MustCompile(`^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$`) // hot site (cpu.go:14)
	return re.MatchString(address)
}

var valid int

func serveValidations(until time.Time) {
	for time.Now().Before(until) {
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
		head = &node{next: head, value: [4]int{i}} // allocation site (cpu.go:55)
	}
	length := 0
	for p := head; p != nil; p = p.next {
		length++
	}
	if length > longest {
		longest = length
	}
}

func serveIndexes(until time.Time) {
	for time.Now().Before(until) {
		buildIndex(2000)
	}
}

// cpuMode profiles 1.5 s of the chosen workload: "hot" (regexp per call), "alloc" or idle.
func cpuMode(dir string, workload string) error {
	f, err := os.Create(filepath.Join(dir, "cpu.pb.gz"))
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	until := time.Now().Add(1500 * time.Millisecond)
	switch workload {
	case "hot":
		serveValidations(until)
	case "alloc":
		// A resident pointer structure every GC cycle must mark.
		for i := 0; i < 200000; i++ {
			resident = &node{next: resident}
		}
		serveIndexes(until)
	default:
		tick(until)
	}
	pprof.StopCPUProfile()
	return f.Close()
}
