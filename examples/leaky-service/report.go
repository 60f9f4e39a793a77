package main

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"
	"sync"
)

// Account statements are expensive to render, so they are cached.

// reportCache is the bug's cache: a plain map with no bound and no eviction.
type reportCache struct {
	mu      sync.Mutex
	entries map[string][]byte
}

var renderedReports = &reportCache{entries: make(map[string][]byte)}

// reportLRU is the fixed cache: bounded, keyed by what the report depends on.
var reportLRU = newLRUCache(128)

// Statements of the most active accounts for the open periods are rendered at start-up.
var (
	activeAccounts = 40
	openPeriods    = []string{"2026-09", "2026-10", "2026-11"}
)

func warmReports() {
	for i := 1; i <= activeAccounts; i++ {
		for _, period := range openPeriods {
			account := fmt.Sprintf("acct-%d", i)
			reportLRU.Add(account+"/"+period, renderReport(account, period))
		}
	}
}

var reportCacheBytes = &leakCounter{name: "heap-cache"}

func (c *reportCache) lookup(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	body, ok := c.entries[key]
	return body, ok
}

// store keeps a private copy of body under key.
func (c *reportCache) store(key string, body []byte) {
	if !reportCacheBytes.below(limits.heapBytes) {
		return
	}
	c.mu.Lock()
	stored := append(make([]byte, 0, len(body)), body...)
	c.entries[key] = stored
	c.mu.Unlock()
	reportCacheBytes.add(int64(len(stored)))
}

// renderReport builds account's statement for period: between 4 KB and 64 KB of text.
func renderReport(account, period string) []byte {
	h := fnv.New32a()
	h.Write([]byte(account + "/" + period))
	lines := 40 + int(h.Sum32()%760) // 40..799 lines of ~80 bytes
	var b strings.Builder
	b.Grow(lines * 82)
	fmt.Fprintf(&b, "statement for %s, period %s\n", account, period)
	for i := 0; i < lines; i++ {
		fmt.Fprintf(&b, "%-10s %-40s %12d.%02d %12d.%02d\n", period, fmt.Sprintf("%s booking %d", account, i),
			(i*7919)%100000, i%100, (i*104729)%1000000, (i*31)%100)
	}
	return []byte(b.String())
}

func handleReport(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	account, period := query.Get("account"), query.Get("period")
	if account == "" || period == "" {
		http.Error(w, "account and period: required", http.StatusBadRequest)
		return
	}
	var body []byte
	if faultActive(faultHeapCache) {
		// The bug: the key is the whole request URI, which carries a per-request nonce, so no
		// entry is ever hit again; and nothing is ever evicted.
		key := r.URL.RequestURI()
		cached, ok := renderedReports.lookup(key)
		if !ok {
			cached = renderReport(account, period)
			renderedReports.store(key, cached)
		}
		body = cached
	} else {
		key := account + "/" + period
		cached, ok := reportLRU.Get(key)
		if !ok {
			cached = renderReport(account, period)
			reportLRU.Add(key, cached)
		}
		body = cached
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(body)
}
