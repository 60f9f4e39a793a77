package main

import (
	"errors"
	"net/http"
	"testing"
)

var errRefused = errors.New("refused")

// Fine: the request must fail (the client's transport refuses every dial), and the test fails if
// a response comes back anyway: a failed request has no body.
func checkDialRefused(t *testing.T, c *http.Client, url string) {
	resp, err := c.Get(url)
	if !errors.Is(err, errRefused) {
		t.Fatal("not the error we expected", err)
	}
	if resp != nil {
		t.Fatal("expected no response")
	}
}

// Leaks: the same request, but a response is only logged, and its body is never closed.
func checkDialLogged(t *testing.T, c *http.Client, url string) {
	resp, err := c.Get(url) // want "LS004"
	if !errors.Is(err, errRefused) {
		t.Log("not the error we expected", err)
	}
	if resp != nil {
		t.Log("got a response", resp.Status)
	}
}

// Fine: the request must fail, checked as an if/else whose else fails the test: a failed request
// has no body (pelican's transport timeout tests).
func checkDialTimesOut(t *testing.T, c *http.Client, url string) {
	_, err := c.Get(url)
	if err != nil {
		t.Log("refused as expected:", err)
	} else {
		t.Fatalf("expected %s to be refused", url)
	}
}

// Leaks: the same check whose else only logs: a response that came back is never closed.
func checkDialTimesOutLogged(t *testing.T, c *http.Client, url string) {
	_, err := c.Get(url) // want "LS004"
	if err != nil {
		t.Log("refused as expected:", err)
	} else {
		t.Logf("%s answered", url)
	}
}

// Leaks: the else may return before it fails the test, and then the answer stays open.
func checkDialMayAnswer(t *testing.T, c *http.Client, url string, mayAnswer bool) {
	_, err := c.Get(url) // want "LS004"
	if err != nil {
		t.Log("refused as expected:", err)
	} else {
		if mayAnswer {
			return
		}
		t.Fatal("expected a refusal")
	}
}

// fataler records failures without stopping anything.
type fataler interface{ Fatal(args ...any) }

// Leaks: the literal's t is a recorder, not the test's: its Fatal does not stop the probe.
func TestDialProbe(t *testing.T) {
	probe := func(t fataler, c *http.Client, url string) {
		_, err := c.Get(url) // want "LS004"
		if err != nil {
			return
		} else {
			t.Fatal("expected a refusal")
		}
	}
	_ = probe
}
