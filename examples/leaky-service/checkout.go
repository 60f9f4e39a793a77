package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Checkout prices every cart line in parallel against the shared price book, then confirms the
// order and notifies the user's devices.

type priceBook struct {
	mu         sync.RWMutex
	basePrices map[string]int64
	signKey    [32]byte
}

var prices = newPriceBook()

func newPriceBook() *priceBook {
	p := &priceBook{basePrices: make(map[string]int64)}
	for i := 1; i <= 600; i++ {
		p.basePrices[catalogSKU(i)] = int64(199 + i*37%20000)
	}
	p.signKey = sha256.Sum256([]byte("price-book-v1"))
	return p
}

// signPrice is the tamper-proof price signature the order service checks: a short hash chain.
func signPrice(key [32]byte, sku string, cents int64) [32]byte {
	var seed [8]byte
	binary.LittleEndian.PutUint64(seed[:], uint64(cents))
	sum := sha256.Sum256(append(append(key[:], sku...), seed[:]...))
	for i := 0; i < 200; i++ {
		sum = sha256.Sum256(sum[:])
	}
	return sum
}

// fetchFXRate stands in for the currency service call (a couple of milliseconds).
func fetchFXRate(currency string) float64 {
	time.Sleep(2 * time.Millisecond)
	if currency == "EUR" {
		return 1
	}
	return 1.08
}

// price returns the signed price of one cart line.
func (p *priceBook) price(sku string, qty int64, currency string) (int64, [32]byte) {
	if faultActive(faultContention) {
		// The bug: one exclusive lock around the whole computation, including the hashing and
		// the call to the currency service, so parallel cart lines queue up behind each other.
		p.mu.Lock()
		base := p.basePrices[sku]
		cents := int64(float64(base*qty) * fetchFXRate(currency))
		signature := signPrice(p.signKey, sku, cents)
		p.mu.Unlock()
		return cents, signature
	}
	// The fix: read the shared state under a read lock, do the slow work outside it.
	p.mu.RLock()
	base, key := p.basePrices[sku], p.signKey
	p.mu.RUnlock()
	cents := int64(float64(base*qty) * fetchFXRate(currency))
	return cents, signPrice(key, sku, cents)
}

var orderSeq int64

type cartLine struct {
	SKU string `json:"sku"`
	Qty int64  `json:"qty"`
}

type checkoutRequest struct {
	User     string     `json:"user"`
	Currency string     `json:"currency"`
	Lines    []cartLine `json:"lines"`
}

func handleCheckout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST a cart", http.StatusMethodNotAllowed)
		return
	}
	var cart checkoutRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&cart); err != nil || len(cart.Lines) == 0 || len(cart.Lines) > 32 {
		http.Error(w, "body: cart with 1 to 32 lines required", http.StatusBadRequest)
		return
	}
	totals := make([]int64, len(cart.Lines))
	var wg sync.WaitGroup
	for i, line := range cart.Lines {
		wg.Add(1)
		go func(i int, line cartLine) {
			defer wg.Done()
			totals[i], _ = prices.price(line.SKU, line.Qty, cart.Currency)
		}(i, line)
	}
	wg.Wait()
	var total int64
	for _, t := range totals {
		total += t
	}
	order := atomic.AddInt64(&orderSeq, 1)
	if cart.User != "" {
		notifications.notify(notification{User: cart.User, Kind: "order confirmed", OrderID: order})
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, "{\"order\":%d,\"total_cents\":%d}\n", order, total)
}
