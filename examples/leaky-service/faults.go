package main

import (
	"fmt"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// fault is one switchable bug. Several can be on at once.
type fault uint32

const (
	faultChanSend fault = 1 << iota
	faultSelectNoCtx
	faultGlobalChan
	faultLockHeld
	faultBodyLeak
	faultHeapCache
	faultHeapSlice
	faultCPURegexp
	faultContention
)

var faultNames = []struct {
	fault fault
	name  string
}{
	{faultChanSend, "chan-send"},
	{faultSelectNoCtx, "select-no-ctx"},
	{faultGlobalChan, "global-chan"},
	{faultLockHeld, "lock-held"},
	{faultBodyLeak, "body-leak"},
	{faultHeapCache, "heap-cache"},
	{faultHeapSlice, "heap-slice"},
	{faultCPURegexp, "cpu-regexp"},
	{faultContention, "contention"},
}

var activeFaults uint32 // a set of fault bits, read on every request

func faultActive(f fault) bool { return fault(atomic.LoadUint32(&activeFaults))&f != 0 }

func allFaultNames() string {
	names := make([]string, len(faultNames))
	for i, n := range faultNames {
		names[i] = n.name
	}
	return strings.Join(names, ", ")
}

// parseFaults reads "a,b", "all", "none" or "" (healthy).
func parseFaults(list string) (fault, error) {
	var set fault
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		switch item {
		case "", "none", "healthy":
			continue
		case "all":
			for _, n := range faultNames {
				set |= n.fault
			}
			continue
		}
		found := false
		for _, n := range faultNames {
			if n.name == item {
				set |= n.fault
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown fault %q (known: %s, all, none)", item, allFaultNames())
		}
	}
	return set, nil
}

func formatFaults(set fault) string {
	var names []string
	for _, n := range faultNames {
		if set&n.fault != 0 {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}

func setFaults(set fault) {
	old := fault(atomic.SwapUint32(&activeFaults, uint32(set)))
	if old&faultLockHeld != 0 && set&faultLockHeld == 0 {
		// A mutex that was never unlocked stays locked: give new requests a fresh ledger,
		// the goroutines already stuck keep waiting on the old one.
		retireLedger()
	}
	log.Printf("faults: %s", formatFaults(set))
}

// handleAdminFaults: GET shows the active faults, POST ?set=a,b replaces them.
func handleAdminFaults(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodPost, http.MethodPut:
		set, err := parseFaults(r.URL.Query().Get("set"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		setFaults(set)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	fmt.Fprintln(w, formatFaults(fault(atomic.LoadUint32(&activeFaults))))
}

// limits keep each fault from exhausting the machine: once a fault reaches its cap it logs once
// and behaves like the fixed code.
var limits struct {
	goroutinesPerFault int
	connections        int
	heapBytes          int64
}

var capsHit sync.Map // fault name → struct{}

func noteCapHit(name string, detail string) {
	if _, already := capsHit.LoadOrStore(name, struct{}{}); !already {
		log.Printf("%s: safety cap reached (%s); behaving like the fixed code from now on", name, detail)
	}
}

// leakCounter counts what one fault holds right now (goroutines, connections or bytes).
type leakCounter struct {
	name  string
	value int64
}

func (c *leakCounter) add(n int64) { atomic.AddInt64(&c.value, n) }
func (c *leakCounter) load() int64 { return atomic.LoadInt64(&c.value) }

// below reports whether the counter is still under limit, logging once when it is not.
func (c *leakCounter) below(limit int64) bool {
	if c.load() < limit {
		return true
	}
	noteCapHit(c.name, fmt.Sprintf("%d", limit))
	return false
}

// faultStatus lists the leak counters, for the periodic stats line.
func faultStatus(counters ...*leakCounter) string {
	var parts []string
	for _, c := range counters {
		if v := c.load(); v != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", c.name, v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}
