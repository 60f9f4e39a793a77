package main

import (
	"log"
	"runtime"
	"time"
)

// startBackground starts the long-lived goroutines every service has: an event feed and a
// stats reporter. Both are bounded and healthy.
func startBackground(statsEvery time.Duration) {
	go publishTopicEvents(time.Second)
	if statsEvery > 0 {
		go reportStats(statsEvery)
	}
}

// reportStats logs goroutine and heap figures and what each fault currently holds.
func reportStats(every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	var m runtime.MemStats
	for range ticker.C {
		runtime.ReadMemStats(&m)
		log.Printf("stats: goroutines=%d heap_alloc=%.1fMB heap_objects=%d gc=%d %s",
			runtime.NumGoroutine(), float64(m.HeapAlloc)/(1<<20), m.HeapObjects, m.NumGC,
			faultStatus(inventoryWorkers, topicWatchers, notificationDeliverers, ledgerWaiters,
				openUpstreamBodies, reportCacheBytes, auditBytes))
	}
}
