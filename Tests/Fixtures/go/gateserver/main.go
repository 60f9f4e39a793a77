// Command gateserver is a loopback HTTP service for `leakscope gate load` tests: it writes its
// address to DIR/addr and serves until killed.
//
//	/fast   answers at once
//	/slow   answers after 20ms
//	/flaky  answers 500 to every other request
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

func main() {
	out := flag.String("out", ".", "directory to write the address file into")
	flag.Parse()
	var count int64
	mux := http.NewServeMux()
	mux.HandleFunc("/fast", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if atomic.AddInt64(&count, 1)%2 == 0 {
			http.Error(w, "unavailable", http.StatusInternalServerError)
			return
		}
		w.Write([]byte("ok\n"))
	})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	tmp := filepath.Join(*out, "addr.tmp")
	if err := os.WriteFile(tmp, []byte(listener.Addr().String()), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(*out, "addr")); err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(listener, mux))
}
