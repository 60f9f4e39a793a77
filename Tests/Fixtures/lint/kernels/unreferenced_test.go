package main

import "testing"

// The only caller of fetchForTests (ls004_unreferenced.go).
func TestFetchForTests(t *testing.T) {
	if code := fetchForTests("http://127.0.0.1:1/"); code != 0 {
		t.Fatalf("status %d from a closed port", code)
	}
}
