package main

import (
	"net/http"
	"testing"
)

// Fine: the test is skipped before the request; nothing after an unconditional t.Skip runs.
func checkSkipped(t *testing.T, url string) {
	t.Skip("upstream is flaky")
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
}

// Leaks: the skip is conditional, and the body is never closed when the request runs.
func checkUnlessShort(t *testing.T, url string) {
	if testing.Short() {
		t.Skip("short mode")
	}
	resp, err := http.Get(url) // want "LS004"
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
}
