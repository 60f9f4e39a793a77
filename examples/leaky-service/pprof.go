package main

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/http/pprof"
	runtimepprof "runtime/pprof"
	"strings"
)

// mountPprof serves net/http/pprof under prefix on mux. pprof.Index only dispatches named
// profiles under the fixed path /debug/pprof/, so every name is routed here instead; the index
// page links relatively ("goroutine?debug=1"), which works under any prefix ending in '/'.
func mountPprof(mux *http.ServeMux, prefix, token string) error {
	if !strings.HasPrefix(prefix, "/") {
		return fmt.Errorf("-pprof-prefix %q must start with '/'", prefix)
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	handler := http.StripPrefix(prefix, http.HandlerFunc(servePprof))
	if token != "" {
		handler = requireBearer(token, handler)
	}
	mux.Handle(prefix, handler)
	return nil
}

func servePprof(w http.ResponseWriter, r *http.Request) {
	switch name := r.URL.Path; name {
	case "":
		pprof.Index(w, r)
	case "cmdline":
		pprof.Cmdline(w, r)
	case "profile":
		pprof.Profile(w, r)
	case "symbol":
		pprof.Symbol(w, r)
	case "trace":
		pprof.Trace(w, r)
	default:
		if runtimepprof.Lookup(name) == nil {
			w.Header().Set("X-Content-Type-Options", "nosniff")
			http.Error(w, "Unknown profile", http.StatusNotFound)
			return
		}
		pprof.Handler(name).ServeHTTP(w, r)
	}
}

func requireBearer(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="pprof"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
