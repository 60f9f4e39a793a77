package main

import "net/http"

// Code nothing calls (docs/LINT.md, session 35): no path reaches a leak there, so it is `low`,
// unless something the linter does not read as code may call it.

// Low: nothing calls fetchUnused or uses it as a value.
func fetchUnused(url string) int {
	resp, err := http.Get(url) // want "LS004" low
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Leaks: only a test calls it (unreferenced_test.go), and tests are code that runs.
func fetchForTests(url string) int {
	resp, err := http.Get(url) // want "LS004"
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Leaks: only a file another platform builds calls it (unreferenced_windows.go).
func fetchOnWindows(url string) int {
	resp, err := http.Get(url) // want "LS004"
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Leaks: an exported method, which code not linted may call through an interface of its own.
type statusProbe struct{}

func (statusProbe) Probe(url string) int {
	resp, err := http.Get(url) // want "LS004"
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Leaks: an unexported method the package calls through an interface of its own.
type pageProber interface{ probePage(url string) int }

type pageProbe struct{}

func (pageProbe) probePage(url string) int {
	resp, err := http.Get(url) // want "LS004"
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// probePages is kept as a value: it may run, so what it calls is reached.
var pageProbing = probePages

func probePages(p pageProber, urls []string) (total int) {
	for _, u := range urls {
		total += p.probePage(u)
	}
	return total
}
