package main

// Endpoints for the capture tests: goroutines the test controls, request counting, and /v/<faults>/,
// which serves net/http/pprof under a prefix with chosen faults.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// certificatePEM is the HTTPS listener's self-signed certificate, served at /tls-cert.pem so a test can
// trust it with a CA file.
var certificatePEM []byte

// release is never closed and is reachable from a global, so parked goroutines are blocked but not
// leaked in the goroutineleak profile's sense.
var release = make(chan struct{})

//go:noinline
func parkForever() { <-release }

// spawn?n=K starts K goroutines parked in main.parkForever and answers with how many it has started in all.
var parkedMu sync.Mutex
var parked int

func spawn(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	parkedMu.Lock()
	for i := 0; i < n; i++ {
		go parkForever()
	}
	parked += n
	total := parked
	parkedMu.Unlock()
	fmt.Fprint(w, total)
}

//go:noinline
func leakOne() {
	ch := make(chan int) // nobody else can reach ch: a real leak the goroutineleak profile proves
	<-ch
}

// leak?n=K starts K goroutines that leak in main.leakOne.
func leakSome(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	for i := 0; i < n; i++ {
		go leakOne()
	}
	fmt.Fprint(w, n)
}

// stats counts requests by path and query, and the most CPU profiles that ran at the same time.
type stats struct {
	mu        sync.Mutex
	Counts    map[string]int `json:"counts"`
	cpuActive int
	CPUMax    int `json:"cpuMax"`
	flaky     map[string]int
}

var requestStats = &stats{Counts: map[string]int{}, flaky: map[string]int{}}

// counted wraps the whole server: /stats answers the counts as JSON, every other request is counted.
func counted(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := requestStats
		if r.URL.Path == "/stats" {
			s.mu.Lock()
			defer s.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(s)
			return
		}
		key := r.URL.Path
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		cpu := strings.HasSuffix(r.URL.Path, "/debug/pprof/profile")
		s.mu.Lock()
		s.Counts[key]++
		if cpu {
			s.cpuActive++
			if s.cpuActive > s.CPUMax {
				s.CPUMax = s.cpuActive
			}
		}
		s.mu.Unlock()
		if cpu {
			defer func() {
				s.mu.Lock()
				s.cpuActive--
				s.mu.Unlock()
			}()
		}
		next.ServeHTTP(w, r)
	})
}

// variant serves /v/<faults>/debug/pprof/… as net/http/pprof under the prefix /v/<faults>, where
// <faults> is a comma-separated list of:
//
//	plain        no fault
//	grow         each index page request first starts 40 more goroutines parked in main.parkForever
//	auth         every request needs "Authorization: Bearer s3cret", else 401
//	flaky        each path and query answers 500 twice, then normally
//	login        every request gets an HTML login page
//	(NAME is a profile's name, or "index" for the index page)
//	big-NAME     profile NAME streams up to 10 GB with no Content-Length
//	html-NAME    profile NAME answers an HTML page
//	stall-NAME   profile NAME sends its head and 100 bytes, then nothing
//	500-NAME     profile NAME always answers 500
func variant(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/v/")
	slash := strings.Index(rest, "/")
	if slash < 0 {
		http.NotFound(w, r)
		return
	}
	faults := map[string]bool{}
	for _, f := range strings.Split(rest[:slash], ",") {
		faults[f] = true
	}
	path := rest[slash:]
	name := strings.TrimPrefix(path, "/debug/pprof/")
	if name == "" {
		name = "index"
	}
	if faults["auth"] && r.Header.Get("Authorization") != "Bearer s3cret" {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if faults["flaky"] {
		s := requestStats
		s.mu.Lock()
		s.flaky[r.URL.RequestURI()]++
		n := s.flaky[r.URL.RequestURI()]
		s.mu.Unlock()
		if n <= 2 {
			http.Error(w, "temporarily unavailable", http.StatusInternalServerError)
			return
		}
	}
	if faults["grow"] && name == "index" {
		parkedMu.Lock()
		for i := 0; i < 40; i++ {
			go parkForever()
		}
		parked += 40
		parkedMu.Unlock()
	}
	switch {
	case faults["login"] || faults["html-"+name]:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><body><form>Sign in</form></body></html>")
		return
	case faults["big-"+name]:
		w.Header().Set("Content-Type", "application/octet-stream")
		chunk := make([]byte, 256<<10)
		for sent := int64(0); sent < 10<<30; sent += int64(len(chunk)) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		return
	case faults["stall-"+name]:
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte(strings.Repeat("x", 100)))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Minute):
		}
		return
	case faults["500-"+name]:
		http.Error(w, "broken", http.StatusInternalServerError)
		return
	}
	http.StripPrefix("/v/"+rest[:slash], http.DefaultServeMux).ServeHTTP(w, r)
}
