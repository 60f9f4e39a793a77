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
