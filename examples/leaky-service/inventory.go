package main

import (
	"encoding/json"
	"hash/fnv"
	"net/http"
	"time"
)

// Inventory sends the same stock query to every warehouse replica and answers with the first
// reply (hedged requests), giving up after inventoryTimeout.

const inventoryTimeout = 40 * time.Millisecond

type warehouse struct {
	name        string
	baseLatency time.Duration
	jitter      time.Duration
}

var warehouses = []warehouse{
	{"fra-1", 4 * time.Millisecond, 30 * time.Millisecond},
	{"fra-2", 6 * time.Millisecond, 40 * time.Millisecond},
	{"ams-1", 12 * time.Millisecond, 50 * time.Millisecond},
	{"dub-1", 20 * time.Millisecond, 60 * time.Millisecond},
}

type stockReply struct {
	Warehouse string `json:"warehouse"`
	SKU       string `json:"sku"`
	Units     int    `json:"units"`
}

// inventoryWorkers counts query goroutines that have not delivered their reply yet; with the
// chan-send fault on, the ones that lost the race stay here forever.
var inventoryWorkers = &leakCounter{name: "chan-send"}

// queryInventory asks one warehouse and hands the reply to the waiting handler.
func queryInventory(wh warehouse, sku string, replies chan<- stockReply) {
	defer inventoryWorkers.add(-1)
	h := fnv.New32a()
	h.Write([]byte(wh.name + sku))
	sum := h.Sum32()
	time.Sleep(wh.baseLatency + time.Duration(sum%uint32(wh.jitter/time.Microsecond))*time.Microsecond) // the backend call
	// With an unbuffered channel this send blocks forever once the handler has taken another
	// replica's answer or timed out: nobody will ever receive again.
	replies <- stockReply{Warehouse: wh.name, SKU: sku, Units: int(sum % 500)}
}

func handleInventory(w http.ResponseWriter, r *http.Request) {
	sku := r.URL.Query().Get("sku")
	if sku == "" {
		http.Error(w, "sku: required", http.StatusBadRequest)
		return
	}
	// The fix: room for every replica's answer, so late replies never block.
	replies := make(chan stockReply, len(warehouses))
	if faultActive(faultChanSend) && inventoryWorkers.below(int64(limits.goroutinesPerFault)) {
		replies = make(chan stockReply) // the bug
	}
	for _, wh := range warehouses {
		inventoryWorkers.add(1)
		go queryInventory(wh, sku, replies)
	}
	timeout := time.NewTimer(inventoryTimeout)
	defer timeout.Stop()
	select {
	case reply := <-replies:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(reply)
	case <-timeout.C:
		http.Error(w, "inventory backends timed out", http.StatusGatewayTimeout)
	}
}
