// Run-time evidence for two lint rules, printed one fact per line:
//
//	handoff leaked=N  goroutines still alive after a range loop over a consumer's results
//	                  returns early (LS001's range hand-off rule)
//	drained leaked=N  the same loop taking every result
//	early leaked=N    a goroutine that sends once on one of two channels, when the caller
//	                  returns before its select over both (LS001's sibling-channel rule)
//	either leaked=N   the same without the early return
//	named leaked=N    senders started with go f(ch) on a channel made unbuffered under a
//	                  condition, when the caller's select takes its other case (LS001's
//	                  declared-sender rule)
//	buffered leaked=N the same with the buffered channel
//	nobody reused=B   a response from a handler that writes only a status, never closed:
//	                  is the next request on the same connection? (LS004's no-body rule)
//	body reused=B     the same with a handler that writes a body
//	decoded reused=B  a 513-byte Content-Length answer (a JSON value and json.Encoder's newline)
//	                  taken by json.NewDecoder(resp.Body).Decode and never closed: the decoder
//	                  stops at the value's end, one byte short of the body's EOF (LS004 keeps
//	                  reporting decoded bodies)
//	readall reused=B  the same answer read with io.ReadAll (LS004's read-to-EOF rule)
//	read reused=B     a 6-byte answer taken by one Body.Read into a 64-byte buffer, never
//	                  closed: net/http returns io.EOF with a Content-Length body's last bytes
//	                  (LS004's direct-read rule)
//	partial reused=B  the same answer read into a 2-byte buffer: the rest keeps the connection
//	head reused=B     a HEAD to a handler that writes a body, never closed (LS004's HEAD rule)
//	typed reused=B    a handler type whose ServeHTTP writes the status and then Write of an
//	                  empty field, never closed (LS004's no-body rule on handler types)
//	uncancelled leaked=N  goroutines left by a function whose GET of a body is never read
//	                  nor closed, on a context nothing cancels
//	cancelled leaked=N    the same with `defer cancel()` of the request's context (LS004's
//	                  cancelled-context rule: the transport closes the connection)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"runtime"
	"strings"
	"time"
)

// reusedAfterUnclosed sends two GETs without closing the first body (consume, when given,
// reads it first) and reports whether the second one reused the first one's connection.
func reusedAfterUnclosed(handler http.HandlerFunc, consume func(io.Reader)) bool {
	return reusedAfter(http.MethodGet, handler, consume)
}

// reusedAfter is reusedAfterUnclosed with the first request's method.
func reusedAfter(method string, handler http.HandlerFunc, consume func(io.Reader)) bool {
	srv := httptest.NewServer(handler)
	defer srv.Close()
	transport := &http.Transport{}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	head, err := http.NewRequest(method, srv.URL, nil)
	if err != nil {
		panic(err)
	}
	first, err := client.Do(head)
	if err != nil {
		panic(err)
	}
	if consume != nil {
		consume(first.Body)
	} // the body is deliberately not closed
	reused := false
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	if err != nil {
		panic(err)
	}
	second, err := client.Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, second.Body)
	second.Body.Close()
	return reused
}

type answer struct {
	S string `json:"s"`
}

// answer513 writes a 513-byte body with a Content-Length: a 512-byte JSON value, the size of
// json.Decoder's first buffer, and the encoder's newline.
func answer513(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Length", "513")
	_ = json.NewEncoder(w).Encode(answer{S: strings.Repeat("a", 512-len(`{"s":""}`))})
}

// getUnclosed sends a GET on client and leaves the body unread and open; with cancelled, the
// request's context is cancelled when the function returns.
func getUnclosed(client *http.Client, url string, cancelled bool) {
	ctx := context.Background()
	if cancelled {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		panic(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		panic(err)
	}
	_ = resp.StatusCode
}

func check(name string) error {
	if name == "bad" {
		return errors.New("bad name")
	}
	return nil
}

// checkEach receives names and sends one result per name, in lockstep.
func checkEach(names <-chan string) <-chan error {
	results := make(chan error)
	go func() {
		defer close(results)
		for n := range names {
			results <- check(n)
		}
	}()
	return results
}

// feed sends every name on an unbuffered channel and ranges over checkEach's results,
// returning on the first error unless drain is set.
func feed(names []string, drain bool) error {
	queue := make(chan string)
	go func() {
		defer close(queue)
		for _, n := range names {
			queue <- n
		}
	}()
	var first error
	for err := range checkEach(queue) {
		if err != nil && !drain {
			return err
		}
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

// loadOnce sends its result on exactly one of two unbuffered channels and selects over both,
// unless check fails first.
func loadOnce(path string, check error) (int, error) {
	failed := make(chan error)
	loaded := make(chan int)
	go func() {
		if path == "" {
			failed <- errors.New("no path")
		} else {
			loaded <- len(path)
		}
	}()
	if check != nil {
		return 0, check
	}
	select {
	case err := <-failed:
		return 0, err
	case n := <-loaded:
		return n, nil
	}
}

// price sends one price on out once start is closed: a declared sender, started with go f(ch).
func price(item int, start <-chan struct{}, out chan<- int) {
	<-start
	out <- item * 3
}

// hedged starts one sender per item and takes the first price, or gives up when stop is closed
// (stop is closed and no sender has started, so it gives up); the channel is unbuffered unless
// buffered is set.
func hedged(items []int, buffered bool, stop <-chan struct{}) int {
	prices := make(chan int, len(items))
	if !buffered {
		prices = make(chan int)
	}
	start := make(chan struct{})
	defer close(start)
	for _, item := range items {
		go price(item, start, prices)
	}
	p := -1
	select {
	case p = <-prices:
	case <-stop:
	}
	return p
}

// leakedBy counts the goroutines f leaves behind once things settle.
func leakedBy(f func()) int {
	before := runtime.NumGoroutine()
	f()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return runtime.NumGoroutine() - before
}

// emptyBody is a handler type whose body field is left empty.
type emptyBody struct {
	status int
	body   string
}

func (h *emptyBody) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(h.status)
	_, _ = w.Write([]byte(h.body))
}

func main() {
	// The goroutine counts first, before any connection goroutines come and go.
	names := []string{"a", "bad", "c", "d", "e"}
	fmt.Printf("handoff leaked=%d\n", leakedBy(func() { _ = feed(names, false) }))
	fmt.Printf("drained leaked=%d\n", leakedBy(func() { _ = feed(names, true) }))
	fmt.Printf("early leaked=%d\n", leakedBy(func() { _, _ = loadOnce("a", errors.New("check failed")) }))
	fmt.Printf("either leaked=%d\n", leakedBy(func() { _, _ = loadOnce("", nil) }))
	stop := make(chan struct{})
	close(stop)
	fmt.Printf("named leaked=%d\n", leakedBy(func() { _ = hedged([]int{1, 2, 3}, false, stop) }))
	fmt.Printf("buffered leaked=%d\n", leakedBy(func() { _ = hedged([]int{1, 2, 3}, true, stop) }))
	// The server stays up across both counts; the client's connection goroutines (and the
	// server's one for that connection) are what each call leaves behind.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "a body")
	}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{}}
	fmt.Printf("uncancelled leaked=%d\n", leakedBy(func() { getUnclosed(client, srv.URL, false) }))
	fmt.Printf("cancelled leaked=%d\n", leakedBy(func() { getUnclosed(client, srv.URL, true) }))
	fmt.Printf("nobody reused=%v\n", reusedAfterUnclosed(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}, nil))
	fmt.Printf("body reused=%v\n", reusedAfterUnclosed(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "a body")
	}, nil))
	fmt.Printf("decoded reused=%v\n", reusedAfterUnclosed(answer513, func(r io.Reader) {
		var v answer
		_ = json.NewDecoder(r).Decode(&v)
	}))
	fmt.Printf("readall reused=%v\n", reusedAfterUnclosed(answer513, func(r io.Reader) { _, _ = io.ReadAll(r) }))
	sixBytes := func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "a body") }
	fmt.Printf("read reused=%v\n", reusedAfterUnclosed(sixBytes, func(r io.Reader) { _, _ = r.Read(make([]byte, 64)) }))
	fmt.Printf("partial reused=%v\n", reusedAfterUnclosed(sixBytes, func(r io.Reader) { _, _ = r.Read(make([]byte, 2)) }))
	fmt.Printf("head reused=%v\n", reusedAfter(http.MethodHead, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "a body")
	}, nil))
	fmt.Printf("typed reused=%v\n", reusedAfterUnclosed((&emptyBody{status: http.StatusOK}).ServeHTTP, nil))
}
