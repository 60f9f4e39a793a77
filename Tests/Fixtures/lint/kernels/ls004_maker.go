package main

import (
	"net/http"
	"time"
)

// newTimedClient is the package's one maker of the syncer's clients: every one has a Timeout.
func newTimedClient(timeout time.Duration, transport http.RoundTripper) *http.Client {
	if transport == nil {
		transport = http.DefaultTransport
	}
	return &http.Client{Timeout: timeout, Transport: transport}
}

// newProxiedClient may hand out the shared default client, which has no Timeout.
func newProxiedClient(proxied bool) *http.Client {
	if !proxied {
		return http.DefaultClient
	}
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{}}
}

type syncer struct {
	longPoll *http.Client
	relay    *http.Client
}

func newSyncer(long time.Duration, proxied bool) *syncer {
	return &syncer{longPoll: newTimedClient(long, nil), relay: newProxiedClient(proxied)}
}

// Low: the field's one value comes from a maker whose every client has a Timeout, which ends the
// request, body included, when it expires.
func (s *syncer) poll(url string) (int, error) {
	resp, err := s.longPoll.Get(url) // want "LS004" low
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the maker may return http.DefaultClient, which waits for the body forever.
func (s *syncer) forward(url string) (int, error) {
	resp, err := s.relay.Get(url) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Low: a local client made by the timed maker (its type read from the maker's result).
func pingTimed(url string) bool {
	client := newTimedClient(5*time.Second, nil)
	resp, err := client.Get(url) // want "LS004" low
	if err != nil {
		return false
	}
	return resp.StatusCode == http.StatusOK
}

// Leaks: a local client made by the maker that may return the default client.
func pingViaProxy(url string) bool {
	client := newProxiedClient(true)
	resp, err := client.Get(url) // want "LS004"
	if err != nil {
		return false
	}
	return resp.StatusCode == http.StatusOK
}

// Leaks: a local holding the shared default client, which has no Timeout.
func fetchStatus(url string) (int, error) {
	client := http.DefaultClient
	resp, err := client.Get(url) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Fixed: the body is closed on return.
func fetchStatusClosed(url string) (int, error) {
	client := http.DefaultClient
	resp, err := client.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
