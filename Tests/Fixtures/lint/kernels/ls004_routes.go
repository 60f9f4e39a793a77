package main

import (
	"net"
	"net/http"
	"strings"
)

// router stands for a web framework's engine (gin, echo, hertz): handlers by method and path,
// the framework's 404 text for anything else.
type router struct {
	routes map[string]http.HandlerFunc
}

func newRouter() *router { return &router{routes: map[string]http.HandlerFunc{}} }

func (r *router) GET(path string, h http.HandlerFunc)  { r.routes["GET "+path] = h }
func (r *router) POST(path string, h http.HandlerFunc) { r.routes["POST "+path] = h }

func (r *router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	h, ok := r.routes[req.Method+" "+req.URL.Path]
	if !ok {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	h(w, req)
}

// serveRouter starts r on a loopback port and returns its base URL.
func serveRouter(r *router) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() { _ = http.Serve(ln, r) }()
	return "http://" + ln.Addr().String(), nil
}

func joinURL(base, path string) string { return base + path }

// Fine: the only handler for POST /submit is empty, so the answer is `Content-Length: 0` and
// the transport hands back http.NoBody.
func submitAccepted() (int, error) {
	r := newRouter()
	r.POST("/submit", func(w http.ResponseWriter, req *http.Request) {})
	base, err := serveRouter(r)
	if err != nil {
		return 0, err
	}
	resp, err := http.Post(joinURL(base, "/submit"), "text/plain", strings.NewReader("x"))
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: a GET to a route registered for POST gets the router's 404 text.
func submitWithGet() (int, error) {
	r := newRouter()
	r.POST("/submit", func(w http.ResponseWriter, req *http.Request) {})
	base, err := serveRouter(r)
	if err != nil {
		return 0, err
	}
	resp, err := http.Get(joinURL(base, "/submit")) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the handler for the path writes a body.
func submitEchoed() (int, error) {
	r := newRouter()
	r.POST("/echo", func(w http.ResponseWriter, req *http.Request) { _, _ = w.Write([]byte("ok")) })
	base, err := serveRouter(r)
	if err != nil {
		return 0, err
	}
	resp, err := http.Post(joinURL(base, "/echo"), "text/plain", strings.NewReader("x")) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: no route for the path: the 404 text answers.
func submitElsewhere() (int, error) {
	r := newRouter()
	r.POST("/submit", func(w http.ResponseWriter, req *http.Request) {})
	base, err := serveRouter(r)
	if err != nil {
		return 0, err
	}
	resp, err := http.Post(joinURL(base, "/missing"), "text/plain", strings.NewReader("x")) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks, with low confidence: one Read into a buffer. If the answer fits, net/http returns io.EOF
// with the last bytes of a Content-Length body and puts the connection back in the pool; if it
// does not (a 2-byte buffer for an "Ok." answer), the connection stays taken.
func firstBytes(url string) ([]byte, error) {
	resp, err := http.Get(url) // want "LS004" low
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 512)
	n, _ := resp.Body.Read(buf)
	return buf[:n], nil
}

// Leaks: the same, without the read.
func firstStatus(url string) (int, error) {
	resp, err := http.Get(url) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the declaration routes /submit, but the request is for /api/submit: the router's 404
// text answers (no base path is followed).
func submitUnderPrefix() (int, error) {
	r := newRouter()
	r.POST("/submit", func(w http.ResponseWriter, req *http.Request) {})
	base, err := serveRouter(r)
	if err != nil {
		return 0, err
	}
	resp, err := http.Post(joinURL(base, "/api/submit"), "text/plain", strings.NewReader("x")) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: a local empty route of the same path says nothing of another host's answer.
func submitElsewhereHost() (int, error) {
	r := newRouter()
	r.POST("/hook", func(w http.ResponseWriter, req *http.Request) {})
	resp, err := http.Post("https://hooks.example.com/hook", "text/plain", strings.NewReader("x")) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
