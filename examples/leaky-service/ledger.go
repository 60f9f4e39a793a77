package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The ledger posts batches of transfers; each leg of a batch is posted by its own goroutine and
// the handler waits for all of them up to ledgerTimeout.

const ledgerTimeout = 100 * time.Millisecond

var errInsufficientFunds = errors.New("insufficient funds")
var errUnknownAccount = errors.New("unknown account")
var errLedgerBusy = errors.New("ledger busy")

type ledger struct {
	mu       sync.Mutex
	balances map[string]int64
	postings int64
}

type ledgerLeg struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Amount int64  `json:"amount"`
}

func newLedger() *ledger {
	l := &ledger{balances: make(map[string]int64)}
	for i := 1; i <= 200; i++ {
		l.balances[fmt.Sprintf("acct-%d", i)] = 1000000
	}
	return l
}

var (
	ledgerMu       sync.Mutex
	currentLedger  = newLedger()
	retiredLedgers []*ledger // kept reachable from a global, like any long-lived service state
)

func activeLedger() *ledger {
	ledgerMu.Lock()
	defer ledgerMu.Unlock()
	return currentLedger
}

func retireLedger() {
	ledgerMu.Lock()
	defer ledgerMu.Unlock()
	retiredLedgers = append(retiredLedgers, currentLedger)
	currentLedger = newLedger()
}

// ledgerWaiters counts goroutines inside post that have not got the lock yet.
var ledgerWaiters = &leakCounter{name: "lock-held"}

// post moves leg.Amount from leg.From to leg.To.
func (l *ledger) post(leg ledgerLeg) error {
	if !ledgerWaiters.below(int64(limits.goroutinesPerFault)) {
		return errLedgerBusy
	}
	ledgerWaiters.add(1)
	l.mu.Lock()
	ledgerWaiters.add(-1)
	from, okFrom := l.balances[leg.From]
	_, okTo := l.balances[leg.To]
	if !okFrom || !okTo {
		l.mu.Unlock()
		return errUnknownAccount
	}
	if leg.Amount <= 0 || from < leg.Amount {
		if faultActive(faultLockHeld) {
			return errInsufficientFunds // the bug: this early return keeps l.mu locked
		}
		l.mu.Unlock()
		return errInsufficientFunds
	}
	l.balances[leg.From] -= leg.Amount
	l.balances[leg.To] += leg.Amount
	atomic.AddInt64(&l.postings, 1)
	l.mu.Unlock()
	return nil
}

type legResult struct {
	Leg   int    `json:"leg"`
	Error string `json:"error,omitempty"`
}

func handleLedgerBatch(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST a JSON array of legs", http.StatusMethodNotAllowed)
		return
	}
	var legs []ledgerLeg
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&legs); err != nil || len(legs) == 0 || len(legs) > 16 {
		http.Error(w, "body: JSON array of 1 to 16 legs required", http.StatusBadRequest)
		return
	}
	book := activeLedger()
	results := make(chan legResult, len(legs)) // buffered: a late leg never blocks on the send
	for i, leg := range legs {
		go func(i int, leg ledgerLeg) {
			result := legResult{Leg: i}
			if err := book.post(leg); err != nil {
				result.Error = err.Error()
			}
			results <- result
		}(i, leg)
	}
	timeout := time.NewTimer(ledgerTimeout)
	defer timeout.Stop()
	var done []legResult
	for len(done) < len(legs) {
		select {
		case result := <-results:
			done = append(done, result)
		case <-timeout.C:
			http.Error(w, "ledger timed out", http.StatusGatewayTimeout)
			return
		}
	}
	status := http.StatusOK
	for _, result := range done {
		if result.Error != "" {
			status = http.StatusUnprocessableEntity
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(done)
}
