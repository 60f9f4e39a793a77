package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// Leaks: a GET whose body nobody reads or closes, on a context nothing cancels.
func probeGet(c *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Fixed: a HEAD answer has no body; the transport puts the connection back at once.
func probeHead(c *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodHead, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the timeout context is cancelled only when it expires, long after the function has
// returned with the connection still waiting for its body to be read.
func notifyLater(c *http.Client, url string, wait time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	go func() {
		<-ctx.Done()
		cancel()
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	_, err = c.Do(req) // want "LS004"
	return err
}

// Fixed: the deferred cancel ends the request's context on return, and the transport then
// closes the connection instead of waiting for the body.
func notifyNow(c *http.Client, url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	_, err = c.Do(req)
	return err
}

// mustRequest returns the request or panics, for callers whose URL is known to be valid.
func mustRequest(r *http.Request, err error) *http.Request {
	if err != nil {
		panic(err)
	}
	return r
}

// Leaks: a GET made through a must-style helper, body never read nor closed.
func sizeOfGet(c *http.Client, url string) (int64, error) {
	resp, err := c.Do(mustRequest(http.NewRequest(http.MethodGet, url, nil))) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.ContentLength, nil
}

// Fixed: the same helper making a HEAD request, whose answer has no body.
func sizeOfHead(c *http.Client, url string) (int64, error) {
	req := mustRequest(http.NewRequest(http.MethodHead, url, nil))
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	return resp.ContentLength, nil
}

// Fixed: the request carries the test's context, which the testing package cancels when the
// test returns; the connection is closed then.
func checkHealth(t *testing.T, c *http.Client, url string) {
	ctx := t.Context()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// Leaks: a context of its own, never cancelled, in a test helper.
func checkReady(t *testing.T, c *http.Client, url string) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req) // want "LS004"
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// Leaks for at most the client's Timeout (low confidence): the timeout also ends the body's
// read and closes the connection.
func notifyUpstream(url string) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url) // want "LS004" low
	if err != nil {
		return
	}
	if resp.StatusCode != http.StatusOK {
		println("upstream answered", resp.Status)
	}
}

// Low: the same with the Timeout set on the line after the client is made.
func notifyHealth(url string) {
	client := &http.Client{}
	client.Timeout = 5 * time.Second
	resp, err := client.Get(url) // want "LS004" low
	if err != nil {
		return
	}
	if resp.StatusCode != http.StatusOK {
		println("health endpoint answered", resp.Status)
	}
}

// Leaks: the Timeout is set on one path only; on the other the client waits for the body forever.
func notifyHealthSlowly(url string, slow bool) {
	client := &http.Client{}
	if slow {
		client.Timeout = time.Minute
	}
	resp, err := client.Get(url) // want "LS004"
	if err != nil {
		return
	}
	if resp.StatusCode != http.StatusOK {
		println("health endpoint answered", resp.Status)
	}
}

// pinnedClient has no Timeout of its own.
func pinnedClient() *http.Client { return &http.Client{Transport: &http.Transport{}} }

// Low: whichever client is picked, its Timeout is set once the last of them is made.
func probePeers(urls []string, pinned bool) {
	client := &http.Client{}
	if pinned {
		client = pinnedClient()
	}
	client.Timeout = time.Second
	for _, u := range urls {
		_, err := client.Get(u) // want "LS004" low
		if err != nil {
			println("peer down:", u)
		}
	}
}

// Leaks: the Timeout is set before the pinned client, which has none, replaces the timed one.
func probePeersPinned(urls []string, pinned bool) {
	client := &http.Client{}
	client.Timeout = time.Second
	if pinned {
		client = pinnedClient()
	}
	for _, u := range urls {
		_, err := client.Get(u) // want "LS004"
		if err != nil {
			println("peer down:", u)
		}
	}
}

// Low: the answer is discarded, and the client's Timeout ends the request within 10 s.
func postTimed(url string) {
	client := &http.Client{Timeout: 10 * time.Second}
	_, err := client.Post(url, "application/json", nil) // want "LS004" low
	if err != nil {
		println("post failed:", err.Error())
	}
}

// Leaks: the same with a client that has no Timeout.
func postUntimed(url string) {
	client := &http.Client{}
	_, err := client.Post(url, "application/json", nil) // want "LS004"
	if err != nil {
		println("post failed:", err.Error())
	}
}

// Low: a CORS preflight, answered with headers and no body.
func preflightAllowed(c *http.Client, url string) bool {
	req, err := http.NewRequest(http.MethodOptions, url, nil)
	if err != nil {
		return false
	}
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := c.Do(req) // want "LS004" low
	if err != nil {
		return false
	}
	return resp.Header.Get("Access-Control-Allow-Origin") != ""
}

// Leaks: the same check with GET, whose answer has a body.
func originAllowed(c *http.Client, url string) bool {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	req.Header.Set("Origin", "https://example.org")
	resp, err := c.Do(req) // want "LS004"
	if err != nil {
		return false
	}
	return resp.Header.Get("Access-Control-Allow-Origin") != ""
}

// Fixed: the request runs on a context cancelled right after the status is read; the
// transport's read loop then closes the connection it would have kept for the body.
func pingStatus(c *http.Client, req *http.Request) int {
	ctx, cancel := context.WithCancel(context.Background())
	resp, err := c.Do(req.WithContext(ctx))
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	cancel()
	return status
}

// Leaks: the error path returns before the cancel, with the response's body still open.
func pingOrFail(c *http.Client, req *http.Request) (int, error) {
	ctx, cancel := context.WithCancel(context.Background()) // vet-only: a cancel-only context under Background holds nothing itself
	resp, err := c.Do(req.WithContext(ctx)) // want "LS004"
	if err == nil && resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Errorf("status %d", resp.StatusCode)
	}
	cancel()
	return 0, err
}

// Fixed: the request is moved onto a context the function cancels once the header is read.
func headerOf(c *http.Client, url, key string) string {
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		cancel()
		return ""
	}
	req = req.WithContext(ctx)
	req.Header.Set("Accept", "*/*")
	resp, err := c.Do(req)
	value := ""
	if err == nil {
		value = resp.Header.Get(key)
	}
	cancel()
	return value
}

// Leaks: the same, but the cancel runs only when the header is missing.
func headerOfLeaky(c *http.Client, url, key string) string {
	ctx, cancel := context.WithCancel(context.Background()) // vet-only: a cancel-only context under Background holds nothing itself
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		cancel()
		return ""
	}
	req = req.WithContext(ctx)
	resp, err := c.Do(req) // want "LS004"
	if err != nil {
		cancel()
		return ""
	}
	value := resp.Header.Get(key)
	if value == "" {
		cancel()
	}
	return value
}

// feedReader fetches feeds with a client whose Timeout bounds every request, body included.
type feedReader struct {
	timedHTTP *http.Client
	plainHTTP *http.Client
}

func newFeedReader() *feedReader {
	return &feedReader{
		timedHTTP: &http.Client{Timeout: 10 * time.Second},
		plainHTTP: &http.Client{},
	}
}

// Low: the body is never closed, but the client's Timeout ends the request within 10 s.
func (f *feedReader) status(url string) (int, error) {
	resp, err := f.timedHTTP.Get(url) // want "LS004" low
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the same with a client that has no Timeout; the connection waits for the body forever.
func (f *feedReader) statusPlain(url string) (int, error) {
	resp, err := f.plainHTTP.Get(url) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// prober's client is timed where the constructor makes one, but the package-level default,
// made by an initialiser, has no Timeout.
type prober struct{ probeHTTP *http.Client }

var defaultProber = &prober{probeHTTP: &http.Client{}}

func newProber() *prober { return &prober{probeHTTP: &http.Client{Timeout: time.Second}} }

// Leaks: defaultProber's requests wait for the body forever.
func (p *prober) status(url string) (int, error) {
	resp, err := p.probeHTTP.Get(url) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// shipper's client is a local with a Timeout, stored by its constructor and copied on clone.
type shipper struct{ shipHTTP http.Client }

func newShipper() *shipper {
	c := http.Client{Timeout: time.Second}
	return &shipper{shipHTTP: c}
}

func (s *shipper) clone() *shipper { return &shipper{shipHTTP: s.shipHTTP} }

// Low: every client the field holds has a Timeout.
func (s *shipper) ship(url string) error {
	resp, err := s.shipHTTP.Post(url, "application/json", nil) // want "LS004" low
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s", resp.Status)
	}
	return nil
}

// archiver's client is a local without a Timeout.
type archiver struct{ archiveHTTP http.Client }

func newArchiver() *archiver {
	c := http.Client{}
	return &archiver{archiveHTTP: c}
}

// Leaks: the client waits for the body forever.
func (a *archiver) archive(url string) error {
	resp, err := a.archiveHTTP.Post(url, "application/json", nil) // want "LS004"
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s", resp.Status)
	}
	return nil
}

// expectations stands for a test library's assertions, named like testify's require.
type expectations struct{}

func (expectations) Error(what string, err error) {
	if err == nil {
		panic(what + ": expected an error")
	}
}

func (expectations) NoError(what string, err error) {
	if err != nil {
		panic(what + ": " + err.Error())
	}
}

func (expectations) ErrorAs(what string, err error, target any) {
	if err == nil {
		panic(what + ": expected an error")
	}
}

// ErrorIs passes a nil err against a nil target, like testify's.
func (expectations) ErrorIs(what string, err, target error) {
	if err != target {
		panic(what + ": not the error expected")
	}
}

var require expectations

// Silent: the second request is expected to fail (the strict client refuses the handshake), and
// its response is never read: a failed request has none.
func strictClientRefused(plain, strict *http.Client, url string) error {
	resp, err := plain.Get(url)
	if err != nil {
		return err
	}
	resp.Body.Close()
	resp, err = strict.Get(url)
	require.Error("the strict client refuses the server", err)
	return nil
}

// Silent: the same with a target for the error declared between the request and the check
// (cosmo's TLS tests).
func strictClientRefusedAs(strict *http.Client, url string) error {
	_, err := strict.Get(url)
	var refused *tls.CertificateVerificationError
	require.ErrorAs("the strict client refuses the server", err, &refused)
	return nil
}

// Leaks: a declaration between the request and a check that goes on when the request worked.
func strictClientStatus(strict *http.Client, url string) error {
	_, err := strict.Get(url) // want "LS004"
	var status string
	if err != nil {
		return err
	}
	_ = status
	return nil
}

// Leaks: the second request is expected to succeed, and its body is never closed.
func strictClientAccepted(plain, strict *http.Client, url string) error {
	resp, err := plain.Get(url)
	if err != nil {
		return err
	}
	resp.Body.Close()
	resp, err = strict.Get(url) // want "LS004"
	require.NoError("the strict client accepts the server", err)
	return nil
}

// passedFetcher's client is what its caller passes, with a timed default when the caller passes nil.
type passedFetcher struct{ fetchHTTP *http.Client }

func newPassedFetcher(hc *http.Client) *passedFetcher {
	if hc == nil {
		hc = &http.Client{Timeout: time.Second}
	}
	return &passedFetcher{fetchHTTP: hc}
}

// Leaks: a caller may pass http.DefaultClient, which has no Timeout.
func (f *passedFetcher) fetch(url string) (int, error) {
	resp, err := f.fetchHTTP.Get(url) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the same with the client a parameter of the function itself.
func fetchWith(client *http.Client, url string) (int, error) {
	if client == nil {
		client = &http.Client{Timeout: time.Second}
	}
	resp, err := client.Get(url) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: a health probe: a declaration, then a check that takes success as the answer.
func probeUp(c *http.Client, url string) bool {
	_, err := c.Get(url) // want "LS004"
	var up bool
	if err == nil {
		up = true
	}
	return up
}

// Silent: a client that refuses redirects; the request must fail, and the test reads the 302 it
// stopped at. net/http closes that response's body before returning it with the error.
func redirectRefused(url string) string {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return fmt.Errorf("no redirects")
	}}
	resp, err := client.Get(url)
	require.Error("the client refuses the redirect", err)
	return resp.Header.Get("Location")
}

// Leaks: the same request, but only logged when it fails: a response that came back without an
// error (no redirect at all) keeps its body open.
func redirectLogged(url string) string {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return fmt.Errorf("no redirects")
	}}
	resp, err := client.Get(url) // want "LS004"
	if err != nil {
		println("refused:", err.Error())
	}
	return resp.Header.Get("Location")
}

// Leaks: a table's cases expect an error or none; with none expected, ErrorIs passes and the
// answer's body is never closed.
func fetchExpecting(c *http.Client, url string, want error) int {
	resp, err := c.Get(url) // want "LS004"
	require.ErrorIs("the fetch ends as the case expects", err, want)
	if want == nil {
		return resp.StatusCode
	}
	return 0
}

// Fixed: the context is cancelled before the request is sent, so the request fails at once and
// nothing is held (a test of what a cancelled request leaves behind).
func cancelledFirst(c *http.Client, url string) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	_, _ = c.Do(req)
}

// Leaks: the cancel runs before the request on one path only; on the other the context ends
// only when done is closed, long after the answer was dropped unclosed.
func cancelledMaybe(c *http.Client, url string, abort bool, done <-chan struct{}) {
	ctx, cancel := context.WithCancel(context.Background())
	if abort {
		cancel()
	}
	go func() {
		<-done
		cancel()
	}()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	_, _ = c.Do(req) // want "LS004"
}

// Fixed: the helper literal's req is a variable of its own; the one sent is on a context
// cancelled first.
func cancelledFirstWithHelper(c *http.Client, url string) {
	valid := func() bool {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		return err == nil && req.URL.Host != ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if valid() {
		_, _ = c.Do(req)
	}
}

// Leaks: the literal replaces the request sent with one on no context.
func cancelledFirstReplaced(c *http.Client, url string) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	replace := func() { req, _ = http.NewRequest(http.MethodGet, url, nil) }
	replace()
	_, _ = c.Do(req) // want "LS004"
}
