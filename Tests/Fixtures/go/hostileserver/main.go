// Command hostileserver is the misbehaving peer of LeakscopeHardeningTests: on 127.0.0.1 only, it
// stalls, trickles, serves gzip bombs, redirects to another port, resets connections and speaks
// garbage instead of HTTP. A second listener ("elsewhere") serves a valid profile, so a redirect
// there would succeed if it were followed. It writes "host:port elsewhere-host:port" to -addr-file
// once both listen, and exits when its parent (the test process) exits, or after -lifetime.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	rpprof "runtime/pprof"
	"strings"
	"time"
)

// bomb is a gzip stream of zeros: a few hundred kB that inflate to 256 MiB.
func bomb() []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 256; i++ {
		w.Write(zeros)
	}
	w.Close()
	return out.Bytes()
}

func heapProfile() []byte {
	var out bytes.Buffer
	rpprof.Lookup("heap").WriteTo(&out, 0)
	return out.Bytes()
}

// hijack takes over the raw connection of a request.
func hijack(w http.ResponseWriter) net.Conn {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		log.Fatal(err)
	}
	return conn
}

func main() {
	addrFile := flag.String("addr-file", "", "file to write the listening addresses to")
	lifetime := flag.Duration("lifetime", 10*time.Minute, "exit after this long")
	flag.Parse()

	elsewhere, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	profile := heapProfile()
	bombBytes := bomb()
	other := http.NewServeMux()
	other.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write(profile) })
	go http.Serve(elsewhere, other)

	mux := http.NewServeMux()
	mux.HandleFunc("/profile", func(w http.ResponseWriter, r *http.Request) { w.Write(profile) })
	// Never answers: the client's timeout must end the request.
	stall := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(*lifetime):
		}
	}
	mux.HandleFunc("/stall", stall)
	mux.HandleFunc("/stall/", stall) // a capture prefix: its index request hangs too
	// A head, then one byte every 100 ms, forever.
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.WriteHeader(200)
		for {
			if _, err := w.Write([]byte{0x1f}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bombBytes)
	})
	mux.HandleFunc("/redirect-elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+elsewhere.Addr().String()+"/debug/pprof/heap", http.StatusFound)
	})
	mux.HandleFunc("/redirect-same", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/profile", http.StatusFound)
	})
	mux.HandleFunc("/redirect-bad-port", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://127.0.0.1:99999/x")
		w.WriteHeader(http.StatusFound)
	})
	// A response head and part of a body, then a TCP reset.
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		conn := hijack(w)
		fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
		conn.Write(profile[:len(profile)/2])
		time.Sleep(50 * time.Millisecond)
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	})
	// Not HTTP at all.
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		conn := hijack(w)
		conn.Write([]byte("SSH-2.0-OpenSSH_9.2\r\n\x1b[2J\x07garbage\r\n\r\n"))
		conn.Close()
	})
	// A capture target whose index is real but whose heap profile is a gzip bomb and whose
	// goroutine dump is garbage: capture must record both as failed.
	bad := http.NewServeMux()
	bad.HandleFunc("/debug/pprof/heap", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bombBytes)
	})
	bad.HandleFunc("/debug/pprof/goroutine", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("debug") != "" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte(strings.Repeat("\x1b]0;pwned\x07 not a dump\n", 10)))
			return
		}
		pprof.Handler("goroutine").ServeHTTP(w, r)
	})
	bad.HandleFunc("/debug/pprof/", pprof.Index)
	mux.Handle("/bad/", http.StripPrefix("/bad", bad))

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if *addrFile != "" {
		text := listener.Addr().String() + " " + elsewhere.Addr().String()
		if err := os.WriteFile(*addrFile+".tmp", []byte(text), 0o644); err != nil {
			log.Fatal(err)
		}
		os.Rename(*addrFile+".tmp", *addrFile)
	}
	// Exit with the test process that started us (we are reparented when it dies), or after
	// -lifetime at the latest.
	parent := os.Getppid()
	go func() {
		deadline := time.Now().Add(*lifetime)
		for time.Now().Before(deadline) && os.Getppid() == parent {
			time.Sleep(250 * time.Millisecond)
		}
		os.Exit(0)
	}()
	log.Fatal(http.Serve(listener, mux))
}
