package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The product pages are the healthy part of the service: a bounded cache in front of a bounded
// pool of render workers. Nothing here grows with traffic.

var productCache = newLRUCache(1024)

// warmProducts renders the catalog's product pages at start-up.
func warmProducts() {
	for id := 1; id <= len(catalog); id++ {
		productCache.Add(strconv.Itoa(id), renderProduct(id))
	}
}

var renderPool = newWorkerPool(4, 64)

type renderJob struct {
	productID int
	result    chan []byte // buffered: the worker never blocks if the caller gave up
}

type workerPool struct {
	jobs chan renderJob
}

func newWorkerPool(workers, queue int) *workerPool {
	p := &workerPool{jobs: make(chan renderJob, queue)}
	for i := 0; i < workers; i++ {
		go p.work()
	}
	return p
}

func (p *workerPool) work() {
	for job := range p.jobs {
		job.result <- renderProduct(job.productID)
	}
}

// submit renders productID on the pool, giving up when ctx ends or the queue is full.
func (p *workerPool) submit(ctx context.Context, productID int) ([]byte, error) {
	job := renderJob{productID: productID, result: make(chan []byte, 1)}
	select {
	case p.jobs <- job:
	case <-ctx.Done():
		return nil, ctx.Err()
	default:
		return nil, fmt.Errorf("render queue full")
	}
	select {
	case page := <-job.result:
		return page, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func renderProduct(id int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"id":%d,"sku":"%s","name":"Product %d","price_cents":%d,"tags":[`, id, catalogSKU(id), id, 499+id%9000)
	for i := 0; i < 12; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"tag-%d"`, (id*7+i)%97)
	}
	b.WriteString("]}\n")
	return []byte(b.String())
}

func handleProduct(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.URL.Query().Get("id"))
	if err != nil || id <= 0 {
		http.Error(w, "id: positive integer required", http.StatusBadRequest)
		return
	}
	key := strconv.Itoa(id)
	page, ok := productCache.Get(key)
	if !ok {
		ctx, cancel := context.WithTimeout(r.Context(), 500*time.Millisecond)
		defer cancel()
		page, err = renderPool.submit(ctx, id)
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		productCache.Add(key, page)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(page)
}
