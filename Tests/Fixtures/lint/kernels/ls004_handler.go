package main

import (
	"net/http"
	"net/http/httptest"
)

// stubHandler answers every request with its status and its body.
type stubHandler struct {
	status int
	body   string
	hits   int
}

func (h *stubHandler) setBody(b string) { h.body = b }

func (h *stubHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.hits++
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(h.status)
	_, _ = w.Write([]byte(h.body))
}

// Fine: the stub's body is left out of the literal, so Write sends no bytes and the server
// answers Content-Length 0: the transport puts the connection back before Get returns.
func stubStatus() (int, error) {
	stub := stubHandler{status: http.StatusAccepted}
	srv := httptest.NewServer(&stub)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode + stub.hits, nil
}

// Fine: the same with the literal written in place.
func stubInPlace() (int, error) {
	srv := httptest.NewServer(&stubHandler{status: http.StatusAccepted})
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the stub writes a body that is never read nor closed.
func stubBody() (int, error) {
	srv := httptest.NewServer(&stubHandler{status: http.StatusOK, body: "ok"})
	defer srv.Close()
	resp, err := http.Get(srv.URL) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the body is set after the literal, through a method that writes the field.
func stubLateBody() (int, error) {
	stub := &stubHandler{status: http.StatusOK}
	stub.setBody("ok")
	srv := httptest.NewServer(stub)
	defer srv.Close()
	resp, err := http.Get(srv.URL) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
