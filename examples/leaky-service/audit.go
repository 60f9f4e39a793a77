package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime/pprof"
	"sync"
	"time"
)

// Every request is written to an in-memory audit trail that an operator page can show.

type auditEntry struct {
	At      time.Time
	Record  string // request line and headers, as text and as JSON for the operator page
	Status  int
	Elapsed time.Duration
}

// auditSlot is one entry of the fixed trail: the record is copied into a fixed-size array, so
// the trail allocates nothing once the program has started.
type auditSlot struct {
	At      time.Time
	Record  [4096]byte
	Length  int
	Status  int
	Elapsed time.Duration
}

var (
	auditMu   sync.Mutex
	auditLog  []auditEntry   // the bug's trail: appended to forever
	auditRing [256]auditSlot // the fixed trail: the last 256 requests
	auditNext int
)

var auditBytes = &leakCounter{name: "heap-slice"}

// appendAudit records one finished request.
func appendAudit(r *http.Request, status int, elapsed time.Duration) {
	var record bytes.Buffer
	fmt.Fprintf(&record, "%s %s %s from %s -> %d in %s\n", r.Method, r.URL.RequestURI(), r.Proto, r.RemoteAddr, status, elapsed)
	r.Header.Write(&record)
	json.NewEncoder(&record).Encode(r.Header) // the structured form the operator page filters on
	auditMu.Lock()
	defer auditMu.Unlock()
	if faultActive(faultHeapSlice) && auditBytes.below(limits.heapBytes) {
		entry := auditEntry{At: time.Now(), Record: record.String(), Status: status, Elapsed: elapsed}
		auditLog = append(auditLog, entry) // the bug: nothing ever trims the trail
		auditBytes.add(int64(len(entry.Record)) + 48)
		return
	}
	slot := &auditRing[auditNext]
	slot.At, slot.Status, slot.Elapsed = time.Now(), status, elapsed
	slot.Length = copy(slot.Record[:], record.Bytes())
	auditNext = (auditNext + 1) % len(auditRing)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

// Flush keeps streaming endpoints (pprof trace/profile write at the end anyway) working.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// recordAudit wraps the whole mux. It also labels each request's goroutine with its endpoint
// (pprof labels are inherited by every goroutine the request starts, including the HTTP
// transport's connection goroutines), so profiles can be sliced by endpoint.
func recordAudit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		recorder := &statusRecorder{ResponseWriter: w}
		pprof.Do(r.Context(), pprof.Labels("endpoint", r.URL.Path), func(ctx context.Context) {
			next.ServeHTTP(recorder, r.WithContext(ctx))
		})
		if recorder.status == 0 {
			recorder.status = http.StatusOK
		}
		appendAudit(r, recorder.status, time.Since(start))
	})
}
