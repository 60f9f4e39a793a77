package main

import (
	"fmt"
	"net"
	"net/http"
)

// listenLocal serves mux on a loopback port of its own and says which.
func listenLocal(mux *http.ServeMux) (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	go func() { _ = http.Serve(ln, mux) }()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Fine: the mux this function builds answers /remote-addr with a header and a status only, so
// the body is http.NoBody and the connection is back in the pool before Get returns.
func remoteAddrSeen() (string, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/remote-addr", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Remote-Addr", r.RemoteAddr)
		w.WriteHeader(http.StatusOK)
	})
	port, err := listenLocal(mux)
	if err != nil {
		return "", err
	}
	resp, err := http.Get(fmt.Sprintf("http://localhost:%d/remote-addr", port))
	if err != nil {
		return "", err
	}
	return resp.Header.Get("X-Remote-Addr"), nil
}

// Leaks: the same, but the handler also writes the address into the body.
func remoteAddrEchoed() (string, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/remote-addr", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Remote-Addr", r.RemoteAddr)
		fmt.Fprint(w, r.RemoteAddr)
	})
	port, err := listenLocal(mux)
	if err != nil {
		return "", err
	}
	resp, err := http.Get(fmt.Sprintf("http://localhost:%d/remote-addr", port)) // want "LS004"
	if err != nil {
		return "", err
	}
	return resp.Header.Get("X-Remote-Addr"), nil
}

// Leaks: the path is not one the mux registers, so the mux's 404 page answers it.
func remoteAddrMissing() (int, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/remote-addr", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	port, err := listenLocal(mux)
	if err != nil {
		return 0, err
	}
	resp, err := http.Get(fmt.Sprintf("http://localhost:%d/remote", port)) // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Leaks: the request goes to the upstream, not to the status-only mux this function serves.
func sidecarCheck(upstream string) (int, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	if _, err := listenLocal(mux); err != nil {
		return 0, err
	}
	resp, err := http.Get(upstream + "/healthz") // want "LS004"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
