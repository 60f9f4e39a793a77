package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// Leaks: the body is decoded but never closed.
func fetchJSON(url string, v any) error {
	resp, err := http.Get(url) // want "LS004"
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Leaks: a client's Do, body read up to a limit (not to EOF) and not closed.
func fetchAll(client *http.Client, req *http.Request) ([]byte, error) {
	resp, err := client.Do(req) // want "LS004"
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// Fine in practice: read to EOF, the transport reuses the connection (Close is still good style).
func fetchToEOF(client *http.Client, req *http.Request) ([]byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// Leaks: the response is thrown away. (A HEAD here would not leak: its answer has no body.)
func ping(url string) error {
	_, err := http.Get(url) // want "LS004"
	return err
}

// Fixed.
func fetchClosed(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

// Fixed: the caller closes it.
func open(url string) (*http.Response, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// Fixed: a helper closes it.
func fetchDrained(url string) error {
	resp, err := http.DefaultClient.Get(url)
	if err != nil {
		return err
	}
	drain(resp.Body)
	return nil
}

func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, body)
	body.Close()
}

// Fine: a 204 response has no body (the transport returns http.NoBody and reuses the connection).
func deleteItem(client *http.Client, req *http.Request) bool {
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	return resp.StatusCode == http.StatusNoContent
}

// Fine: the request must fail (a failed request has no body).
func mustFail(client *http.Client, url string) error {
	_, gerr := client.Get(url)
	if gerr == nil {
		return errors.New("request succeeded")
	}
	return nil
}

// Fixed: Response.Write sends the body on and closes it.
func relayResponse(url string, w io.Writer) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Write(w)
}

// Fixed: the named result goes back to the caller by a bare return.
func sendRetrying(client *http.Client, req *http.Request, tries int) (resp *http.Response, err error) {
	for i := 0; i < tries; i++ {
		resp, err = client.Do(req)
		if err == nil {
			return
		}
	}
	return nil, errors.New("no answer")
}

// Leaks: a status probe whose body is never closed.
func statusOnce() int {
	resp, err := http.Get("http://localhost:8080/status") // want "LS004"
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Silent: a URL without a scheme never gets a response ("unsupported protocol scheme").
func statusOnceNoScheme() int {
	req, err := http.NewRequest(http.MethodGet, "localhost:8080/status", nil)
	if err != nil {
		return 0
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
