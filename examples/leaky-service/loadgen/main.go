// Command loadgen drives leakyservice with a steady, realistic mix of requests and prints a
// one-line summary at the end (or on SIGINT/SIGTERM).
package main

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// endpoint is one kind of request with its share of the traffic (weights add up to 100).
type endpoint struct {
	name   string
	weight int
	build  func(rng *rand.Rand, target string) (*http.Request, error)
}

var topicNames = []string{"orders", "prices", "stock", "shipping", "returns", "reviews"}
var devices = []string{"web", "ios", "android", "email"}
var skus = []string{"ab-00037", "KLM_00074 xl", "xy 00111-S", "Desk00148 m", "tee.00185_xxl", "ZZ-00222-42", "mug_00259.l", "cap 00296-red"}

func pick(rng *rand.Rand, from []string, n int) string {
	order := rng.Perm(len(from))
	chosen := make([]string, n)
	for i := range chosen {
		chosen[i] = from[order[i]]
	}
	return strings.Join(chosen, ",")
}

func get(target, path string) (*http.Request, error) {
	return http.NewRequest(http.MethodGet, target+path, nil)
}

func postJSON(target, path string, body []byte) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, target+path, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, err
}

var endpoints = []endpoint{
	{"products", 12, func(rng *rand.Rand, t string) (*http.Request, error) {
		return get(t, fmt.Sprintf("/api/products?id=%d", 1+rng.Intn(300)))
	}},
	{"search", 10, func(rng *rand.Rand, t string) (*http.Request, error) {
		queries := []string{"AB", "KLM-00", "XL", "DESK", "RED", "00185", "MUG", "Product 4"}
		return get(t, "/api/search?q="+strings.ReplaceAll(queries[rng.Intn(len(queries))], " ", "+"))
	}},
	{"inventory", 10, func(rng *rand.Rand, t string) (*http.Request, error) {
		return get(t, fmt.Sprintf("/api/inventory?sku=SKU-%05d", rng.Intn(100000)))
	}},
	{"watch", 10, func(rng *rand.Rand, t string) (*http.Request, error) {
		return get(t, "/api/watch?topics="+pick(rng, topicNames, 2+rng.Intn(3)))
	}},
	{"notifications", 10, func(rng *rand.Rand, t string) (*http.Request, error) {
		return get(t, fmt.Sprintf("/api/notifications?user=user-%d&devices=%s", 1+rng.Intn(1000), pick(rng, devices, 3+rng.Intn(2))))
	}},
	{"ledger", 10, func(rng *rand.Rand, t string) (*http.Request, error) {
		var legs []string
		for i, n := 0, 2+rng.Intn(3); i < n; i++ {
			amount := 1 + rng.Intn(5000)
			if rng.Intn(25) == 0 {
				amount = 50000000 // an overdraft the ledger must reject
			}
			legs = append(legs, fmt.Sprintf(`{"from":"acct-%d","to":"acct-%d","amount":%d}`, 1+rng.Intn(200), 1+rng.Intn(200), amount))
		}
		return postJSON(t, "/api/ledger/batch", []byte("["+strings.Join(legs, ",")+"]"))
	}},
	{"quote", 10, func(rng *rand.Rand, t string) (*http.Request, error) {
		segments := []string{"retail", "business", "staff"}
		return get(t, fmt.Sprintf("/api/quote?sku=%s&segment=%s", strings.NewReplacer(" ", "%20").Replace(skus[rng.Intn(len(skus))]), segments[rng.Intn(len(segments))]))
	}},
	{"report", 10, func(rng *rand.Rand, t string) (*http.Request, error) {
		periods := []string{"2026-09", "2026-10", "2026-11"}
		return get(t, fmt.Sprintf("/api/report?account=acct-%d&period=%s&nonce=%d", 1+rng.Intn(40), periods[rng.Intn(3)], rng.Int63()))
	}},
	{"checkout", 12, func(rng *rand.Rand, t string) (*http.Request, error) {
		var lines []string
		for i, n := 0, 3+rng.Intn(6); i < n; i++ {
			lines = append(lines, fmt.Sprintf(`{"sku":%q,"qty":%d}`, skus[rng.Intn(len(skus))], 1+rng.Intn(3)))
		}
		currency := []string{"EUR", "USD"}[rng.Intn(2)]
		body := fmt.Sprintf(`{"user":"user-%d","currency":%q,"lines":[%s]}`, 1+rng.Intn(1000), currency, strings.Join(lines, ","))
		return postJSON(t, "/api/checkout", []byte(body))
	}},
	{"healthz", 6, func(rng *rand.Rand, t string) (*http.Request, error) {
		return get(t, "/healthz")
	}},
}

type tally struct {
	mu        sync.Mutex
	sent      int
	ok        int
	client4xx int
	server5xx int
	failed    int // transport errors and client timeouts
	dropped   int // ticks with every worker busy
	latencies []time.Duration
	byName    map[string]int
}

func (t *tally) record(name string, status int, err error, latency time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sent++
	t.byName[name]++
	t.latencies = append(t.latencies, latency)
	switch {
	case err != nil:
		t.failed++
	case status >= 500:
		t.server5xx++
	case status >= 400:
		t.client4xx++
	default:
		t.ok++
	}
}

func (t *tally) summary(elapsed time.Duration) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	sort.Slice(t.latencies, func(i, j int) bool { return t.latencies[i] < t.latencies[j] })
	quantile := func(q float64) time.Duration {
		if len(t.latencies) == 0 {
			return 0
		}
		return t.latencies[int(q*float64(len(t.latencies)-1))]
	}
	return fmt.Sprintf("loadgen: %d requests in %.1fs (%.1f/s): ok=%d 4xx=%d 5xx=%d failed=%d dropped=%d p50=%s p99=%s",
		t.sent, elapsed.Seconds(), float64(t.sent)/elapsed.Seconds(), t.ok, t.client4xx, t.server5xx, t.failed, t.dropped,
		quantile(0.50).Round(100*time.Microsecond), quantile(0.99).Round(100*time.Microsecond))
}

func main() {
	target := flag.String("target", "http://127.0.0.1:6060", "base URL of leakyservice")
	rps := flag.Float64("rps", 100, "requests per second (open loop)")
	duration := flag.Duration("duration", 60*time.Second, "how long to run (0: until SIGINT/SIGTERM)")
	concurrency := flag.Int("concurrency", 16, "maximum requests in flight")
	timeout := flag.Duration("timeout", 2*time.Second, "per-request timeout")
	seed := flag.Int64("seed", 0, "random seed (0: time-based)")
	flag.Parse()
	if *rps <= 0 || *concurrency <= 0 {
		fmt.Fprintln(os.Stderr, "loadgen: -rps and -concurrency must be positive")
		os.Exit(2)
	}
	base := strings.TrimRight(*target, "/")
	if *seed == 0 {
		*seed = time.Now().UnixNano()
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	var deadline <-chan time.Time // nil: run until a signal
	if *duration > 0 {
		deadline = time.After(*duration)
	}

	client := &http.Client{
		Timeout:   *timeout,
		Transport: &http.Transport{MaxIdleConnsPerHost: *concurrency, IdleConnTimeout: 30 * time.Second},
	}
	// A session cookie the size real sign-on tokens have (1–2 KB).
	session := make([]byte, 1100)
	rand.New(rand.NewSource(*seed)).Read(session)
	cookie := "session=" + base64.RawURLEncoding.EncodeToString(session)

	totalWeight := 0
	for _, e := range endpoints {
		totalWeight += e.weight
	}
	results := &tally{byName: make(map[string]int)}
	ticks := make(chan struct{})
	var workers sync.WaitGroup
	for w := 0; w < *concurrency; w++ {
		workers.Add(1)
		go func(w int) {
			defer workers.Done()
			rng := rand.New(rand.NewSource(*seed + int64(w)*7919))
			for range ticks {
				roll := rng.Intn(totalWeight)
				e := endpoints[0]
				for _, candidate := range endpoints {
					if roll < candidate.weight {
						e = candidate
						break
					}
					roll -= candidate.weight
				}
				req, err := e.build(rng, base)
				if err != nil {
					fmt.Fprintln(os.Stderr, "loadgen:", err)
					os.Exit(2)
				}
				req.Header.Set("User-Agent", "leakyservice-loadgen/1")
				req.Header.Set("Cookie", cookie)
				req.Header.Set("X-Request-Id", fmt.Sprintf("%016x", rng.Int63()))
				start := time.Now()
				resp, err := client.Do(req)
				status := 0
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				results.record(e.name, status, err, time.Since(start))
			}
		}(w)
	}

	start := time.Now()
	interval := time.Duration(float64(time.Second) / *rps)
	ticker := time.NewTicker(interval)
loop:
	for {
		select {
		case <-deadline:
			break loop
		case sig := <-signals:
			fmt.Fprintf(os.Stderr, "loadgen: %v: stopping\n", sig)
			break loop
		case <-ticker.C:
			select {
			case ticks <- struct{}{}:
			default:
				results.mu.Lock()
				results.dropped++
				results.mu.Unlock()
			}
		}
	}
	ticker.Stop()
	close(ticks)
	workers.Wait()
	fmt.Println(results.summary(time.Since(start)))
}
