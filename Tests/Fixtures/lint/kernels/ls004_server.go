package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
)

// markProbe only sets a header: the writer is not written to.
func markProbe(w http.ResponseWriter) { w.Header().Set("X-Probe", "ok") }

func statusOnly(w http.ResponseWriter, r *http.Request) {
	markProbe(w)
	w.WriteHeader(http.StatusAccepted)
}

func writesData(w http.ResponseWriter, r *http.Request) {
	markProbe(w)
	_, _ = io.WriteString(w, "data")
}

// Fine: the handler writes only a status. The server sends Content-Length 0, the transport
// hands back http.NoBody and puts the connection back in the pool before Get returns.
func probeStatus() (int, error) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Probe", "ok")
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/probe")
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the same probe, but the handler writes a body that is never read nor closed.
func probeBody() (int, error) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, "accepted")
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/probe") // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// probeMux asks a mux for path; /ready answers with a status only, /data with a body.
func probeMux(client *http.Client, path string) (string, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ready", statusOnly)
	mux.HandleFunc("/data", writesData)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	if path == "/data" {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/data", nil)
		if err != nil {
			return "", err
		}
		resp, err := client.Do(req) // want "LS004"
		if err != nil {
			return "", err
		}
		return resp.Header.Get("X-Probe"), nil
	}
	// Fine: /ready has no body.
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/ready", nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	return resp.Header.Get("X-Probe"), nil
}

// Leaks: the first response is read to EOF, the second one in the same variable is not.
func compareEncodings(client *http.Client, url string) (bool, error) {
	resp, err := client.Get(url)
	if err != nil {
		return false, err
	}
	first, err := io.ReadAll(resp.Body)
	if err != nil {
		return false, err
	}
	resp, err = client.Get(url) // want "LS004"
	if err != nil {
		return false, err
	}
	return len(first) > 0 && resp.Header.Get("Content-Encoding") == "gzip", nil
}

// Fixed: the second response is closed too.
func compareEncodingsClosed(client *http.Client, url string) (bool, error) {
	resp, err := client.Get(url)
	if err != nil {
		return false, err
	}
	first, err := io.ReadAll(resp.Body)
	if err != nil {
		return false, err
	}
	resp, err = client.Get(url)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	return len(first) > 0 && resp.Header.Get("Content-Encoding") == "gzip", nil
}

// Fine: an unstarted server with a status-only handler answers with no body too.
func probeUnstarted() (int, error) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(statusOnly))
	srv.Start()
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the unstarted server's handler is replaced by one that writes a body.
func probeReplaced() (int, error) {
	replaced := httptest.NewUnstartedServer(http.HandlerFunc(statusOnly))
	replaced.Config.Handler = http.HandlerFunc(writesData)
	replaced.Start()
	defer replaced.Close()
	resp, err := http.Get(replaced.URL) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Fine: a request literal whose URL is parsed from the status-only server's.
func probeParsed(c *http.Client) (int, error) {
	srv := httptest.NewServer(http.HandlerFunc(statusOnly))
	defer srv.Close()
	target, err := url.Parse(srv.URL)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(&http.Request{Method: http.MethodGet, URL: target})
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the same request literal to a server that writes a body.
func probeParsedBody(c *http.Client) (int, error) {
	srv := httptest.NewServer(http.HandlerFunc(writesData))
	defer srv.Close()
	target, err := url.Parse(srv.URL)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(&http.Request{Method: http.MethodGet, URL: target}) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// gate answers 401 without a body unless the request carries its token.
type gate struct{ token string }

func newGate(token string) *gate { return &gate{token: token} }

func (g *gate) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != g.token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Fine: behind the gate, a handler that writes only a status; neither answer has a body.
func probeGated() (int, error) {
	srv := httptest.NewServer(newGate("secret").wrap(http.HandlerFunc(statusOnly)))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the same gate in front of a handler that writes a body.
func probeGatedBody() (int, error) {
	srv := httptest.NewServer(newGate("secret").wrap(http.HandlerFunc(writesData)))
	defer srv.Close()
	resp, err := http.Get(srv.URL) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// sessionCookies sets cookies of one name.
type sessionCookies struct{ name string }

func newSessionCookies(name string) *sessionCookies { return &sessionCookies{name: name} }

func (s *sessionCookies) set(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{Name: s.name, Value: value})
}

func (s *sessionCookies) setAndEcho(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{Name: s.name, Value: value})
	_, _ = io.WriteString(w, value)
}

// Fine: the handler only sets a cookie, through a method of a package type: no body.
func cookieOnly() (int, error) {
	cookies := newSessionCookies("session")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookies.set(w, "1")
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		return 0, err
	}
	return len(resp.Cookies()), nil
}

// Leaks: the method also writes the value into the body.
func cookieEchoed() (int, error) {
	cookies := newSessionCookies("session")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookies.setAndEcho(w, "1")
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL) // want "LS004"
	if err != nil {
		return 0, err
	}
	return len(resp.Cookies()), nil
}
