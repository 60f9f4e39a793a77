// Command collectserver is the HTTP peer of the LeakscopeCollect tests: a real net/http/pprof
// endpoint serving this process's own profiles, plus endpoints that misbehave the ways real
// servers and proxies do. It listens on 127.0.0.1 only, writes "host:port" to -addr-file once it
// is listening, and exits by itself after -lifetime.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strconv"
	"strings"
	"time"
)

// leak keeps allocations alive so the heap profile has something in it.
var leak [][]byte

//go:noinline
func allocate(n int) {
	for i := 0; i < n; i++ {
		leak = append(leak, make([]byte, 4096))
	}
}

func main() {
	addrFile := flag.String("addr-file", "", "file to write the listening host:port to")
	lifetime := flag.Duration("lifetime", 2*time.Minute, "exit after this long")
	dir := flag.String("dir", ".", "directory served under /file/")
	tlsAddrFile := flag.String("tls-addr-file", "", "also serve HTTPS (self-signed certificate) and write its host:port here")
	flag.Parse()
	allocate(2000)

	mux := http.DefaultServeMux // net/http/pprof registered its handlers here
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><body>Sign in</body></html>")
	})
	mux.HandleFunc("/html-untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		fmt.Fprint(w, "\n  <html><body>proxy error</body></html>")
	})
	// Sends the head and a little of the body, then nothing until the client gives up.
	mux.HandleFunc("/stall-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte(strings.Repeat("x", 100)))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	// Sends nothing at all until the client gives up.
	mux.HandleFunc("/stall-head", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	// An endless body: stops when the client hangs up.
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		chunk := make([]byte, 64<<10)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	// Announces a body larger than any cap.
	mux.HandleFunc("/huge-length", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.FormatInt(1<<40, 10))
		w.Write([]byte("x"))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	// /chain/N redirects to /chain/N+1 forever: every URL is new, so only a limit stops it.
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/chain/"))
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/moved-heap", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/debug/pprof/heap", http.StatusMovedPermanently)
	})
	mux.Handle("/file/", http.StripPrefix("/file/", http.FileServer(http.Dir(*dir))))
	mux.HandleFunc("/spawn", spawn)
	mux.HandleFunc("/leak", leakSome)
	mux.HandleFunc("/v/", variant)
	mux.HandleFunc("/tls-cert.pem", func(w http.ResponseWriter, r *http.Request) { w.Write(certificatePEM) })
	mux.HandleFunc("/seconds-echo", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "seconds=%s", r.URL.Query().Get("seconds"))
	})

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if *tlsAddrFile != "" {
		tlsListener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		cert := selfSigned()
		certificatePEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
		config := &tls.Config{Certificates: []tls.Certificate{cert}}
		go func() { log.Fatal(http.Serve(tls.NewListener(tlsListener, config), counted(mux))) }()
		writeAddress(*tlsAddrFile, tlsListener.Addr().String())
	}
	if *addrFile != "" {
		writeAddress(*addrFile, listener.Addr().String())
	}
	time.AfterFunc(*lifetime, func() { os.Exit(0) })
	log.Fatal(http.Serve(listener, counted(mux)))
}

// writeAddress writes atomically, so a reader never sees half an address.
func writeAddress(path, address string) {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(address), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		log.Fatal(err)
	}
}

// selfSigned makes a throwaway certificate for 127.0.0.1 that no client trusts.
func selfSigned() tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "collectserver"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		// Its own CA, so that a client can trust it with a CA file (the capture tests' --ca-file).
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
