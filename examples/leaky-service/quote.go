package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// A quote asks the pricing upstream (served by this same process at /upstream/price, so the
// example needs no second service) for the current price of a SKU.

var upstreamPriceURL string // set in main once the listener is known

// pricingClient is the fixed client: a timeout and a transport that keeps a few idle connections.
var pricingClient = &http.Client{Timeout: 2 * time.Second}

// legacyPricingClient is the bug's client: no timeout at all.
var legacyPricingClient = &http.Client{Transport: &http.Transport{}}

// openUpstreamBodies counts responses fetchUpstreamPrice left open.
var openUpstreamBodies = &leakCounter{name: "body-leak"}

// fetchUpstreamPrice returns the price in cents the upstream quotes for sku.
func fetchUpstreamPrice(ctx context.Context, sku string, segment string) (int64, error) {
	// The pricing context the upstream wants: the customer segment and recent basket lines.
	payload := bytes.NewBuffer(make([]byte, 0, 80<<10)) // sized for the whole document (~66 KB)
	fmt.Fprintf(payload, `{"sku":%q,"segment":%q,"basket":[`, sku, segment)
	for i := 0; i < 1280; i++ {
		if i > 0 {
			payload.WriteByte(',')
		}
		fmt.Fprintf(payload, `{"sku":"%s-%03d","qty":%d,"price_cents":%d}`, sku, i, 1+i%4, 199+i*13)
	}
	payload.WriteString("]}")

	if faultActive(faultBodyLeak) && openUpstreamBodies.below(int64(limits.connections)) {
		// The bug: no context, a client without timeout, and only the header is read; the body
		// is never read or closed, so its connection (and two transport goroutines) stays busy.
		req, err := http.NewRequest(http.MethodPost, upstreamPriceURL, bytes.NewReader(payload.Bytes()))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := legacyPricingClient.Do(req)
		if err != nil {
			return 0, err
		}
		openUpstreamBodies.add(1)
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("upstream: %s", resp.Status)
		}
		return strconv.ParseInt(resp.Header.Get("X-Price-Cents"), 10, 64)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, upstreamPriceURL, bytes.NewReader(payload.Bytes()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := pricingClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var quote struct {
		PriceCents int64 `json:"price_cents"`
	}
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return 0, fmt.Errorf("upstream: %s", resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&quote); err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16)) // drain, so the connection is reused
	return quote.PriceCents, nil
}

func handleQuote(w http.ResponseWriter, r *http.Request) {
	sku := r.URL.Query().Get("sku")
	if sku == "" {
		http.Error(w, "sku: required", http.StatusBadRequest)
		return
	}
	segment := r.URL.Query().Get("segment")
	if segment == "" {
		segment = "retail"
	}
	price, err := fetchUpstreamPrice(r.Context(), sku, segment)
	if err != nil {
		http.Error(w, "pricing: "+err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, "{\"sku\":%q,\"price_cents\":%d}\n", sku, price)
}

// handleUpstreamPrice plays the pricing service: it reads the pricing context and answers with
// the price in a header and a JSON body with the price breakdown.
func handleUpstreamPrice(w http.ResponseWriter, r *http.Request) {
	var request struct {
		SKU     string          `json:"sku"`
		Segment string          `json:"segment"`
		Basket  json.RawMessage `json:"basket"` // only its size matters for the volume tier
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&request); err != nil {
		http.Error(w, "bad pricing request", http.StatusBadRequest)
		return
	}
	price := int64(999) + int64(bytes.Count(request.Basket, []byte(`"qty"`)))%97
	var body strings.Builder
	fmt.Fprintf(&body, `{"sku":%q,"segment":%q,"price_cents":%d,"breakdown":[`, request.SKU, request.Segment, price)
	for i := 0; i < 40; i++ {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"rule":"rule-%02d","delta_cents":%d}`, i, (i*7)%23-11)
	}
	body.WriteString("]}\n")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Price-Cents", strconv.FormatInt(price, 10))
	w.Header().Set("Content-Length", strconv.Itoa(body.Len()))
	io.WriteString(w, body.String())
}
