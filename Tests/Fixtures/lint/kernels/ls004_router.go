package main

import (
	"net/http"
	"net/http/httptest"
)

// Fixed: the router this test builds answers its one route with a status only, so the response
// has no body and the transport has already put the connection back.
func createAccepted() (int, error) {
	r := newRouter()
	r.POST("/items", func(w http.ResponseWriter, req *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	req := httptest.NewRequest(http.MethodPost, srv.URL+"/items", nil)
	req.RequestURI = ""
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: a router of the same name in another function writes a body, and nobody reads or
// closes it.
func createEchoed() (int, error) {
	r := newRouter()
	r.POST("/items", func(w http.ResponseWriter, req *http.Request) {
		w.Write([]byte("created"))
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	req := httptest.NewRequest(http.MethodPost, srv.URL+"/items", nil)
	req.RequestURI = ""
	resp, err := http.DefaultClient.Do(req) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the route is for POST; a GET gets the router's own 405 answer, which has a body.
func createWithGet() (int, error) {
	r := newRouter()
	r.POST("/items", func(w http.ResponseWriter, req *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/items") // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: no route serves /item, and the router's 404 answer has a body.
func createAtWrongPath() (int, error) {
	r := newRouter()
	r.POST("/items", func(w http.ResponseWriter, req *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/item", "text/plain", nil) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// newHealthRouter comes with a route that writes.
func newHealthRouter() *router {
	r := newRouter()
	r.GET("/health", func(w http.ResponseWriter, req *http.Request) {
		w.Write([]byte("ok"))
	})
	return r
}

// Leaks: the router came with /health, which writes; this function's own route does not.
func checkHealthAfterAdding() (int, error) {
	r := newHealthRouter()
	r.POST("/items", func(w http.ResponseWriter, req *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/health") // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
