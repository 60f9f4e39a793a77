package main

import (
	"context"
	"net/http"
)

// Fine: one request variable serves a GET, then a HEAD with a context put on it; the HEAD's
// answer has no body, and the GET's is closed.
func sizeThenType(ctx context.Context, c *http.Client, url string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	req, _ = http.NewRequest(http.MethodHead, url, nil)
	req = req.WithContext(ctx)
	head, err := c.Do(req)
	if err != nil {
		return "", err
	}
	return head.Header.Get("Content-Type"), nil
}

// Leaks: the same variable, but the request sent second is the GET, whose body stays open.
func typeThenSize(ctx context.Context, c *http.Client, url string) (int64, error) {
	req, err := http.NewRequest(http.MethodHead, url, nil)
	if err != nil {
		return 0, err
	}
	head, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_ = head.Header.Get("Content-Type")
	req, _ = http.NewRequest(http.MethodGet, url, nil)
	req = req.WithContext(ctx)
	resp, err := c.Do(req) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.ContentLength, nil
}

// Leaks: the HEAD is the nearest assignment, but the helper called after it puts a GET back in
// req, and the GET's body stays open.
func typeThenRefetch(c *http.Client, url string) (string, error) {
	var req *http.Request
	refetch := func() { req, _ = http.NewRequest(http.MethodGet, url, nil) }
	req, _ = http.NewRequest(http.MethodHead, url, nil)
	refetch()
	resp, err := c.Do(req) // want "LS004"
	if err != nil {
		return "", err
	}
	return resp.Header.Get("Content-Type"), nil
}
