package main

import (
	"context"
	"encoding/json"
	"math/rand"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Watch is a short long-poll: the client names topics, the service starts one watcher per topic
// that forwards events from the topic registry, and answers with what arrived within watchWait.

const watchWait = 30 * time.Millisecond

type topicEvent struct {
	Topic string `json:"topic"`
	Seq   int64  `json:"seq"`
}

type topicSubscription struct {
	id         int64
	topic      string
	events     chan topicEvent // filled by the registry's publisher
	updates    chan topicEvent // drained by the request handler (shared by its watchers)
	heartbeats int64
}

// topicRegistry is global and long-lived, so every subscription it holds stays reachable.
type topicRegistry struct {
	mu     sync.Mutex
	nextID int64
	seq    int64
	byName map[string]map[int64]*topicSubscription
}

var topics = &topicRegistry{byName: make(map[string]map[int64]*topicSubscription)}

var topicNames = []string{"orders", "prices", "stock", "shipping", "returns", "reviews"}

var topicWatchers = &leakCounter{name: "select-no-ctx"}

func (t *topicRegistry) subscribe(topic string, updates chan topicEvent) *topicSubscription {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.nextID++
	sub := &topicSubscription{id: t.nextID, topic: topic, events: make(chan topicEvent, 4), updates: updates}
	if t.byName[topic] == nil {
		t.byName[topic] = make(map[int64]*topicSubscription)
	}
	t.byName[topic][sub.id] = sub
	return sub
}

func (t *topicRegistry) unsubscribe(sub *topicSubscription) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.byName[sub.topic], sub.id)
}

// publish offers one event to every subscriber of topic without blocking on slow ones.
func (t *topicRegistry) publish(topic string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	event := topicEvent{Topic: topic, Seq: t.seq}
	for _, sub := range t.byName[topic] {
		select {
		case sub.events <- event:
		default:
		}
	}
}

// publishTopicEvents is the registry's feed: one event on a random topic every interval.
func publishTopicEvents(interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for range ticker.C {
		topics.publish(topicNames[rand.Intn(len(topicNames))])
	}
}

// watchTopic forwards sub's events to the handler and keeps a heartbeat.
func watchTopic(ctx context.Context, sub *topicSubscription) {
	defer topicWatchers.add(-1)
	done := ctx.Done()
	if faultActive(faultSelectNoCtx) && topicWatchers.below(int64(limits.goroutinesPerFault)) {
		// The bug: the loop had no ctx.Done case, so it never returns and never unsubscribes.
		done = nil
	} else {
		defer topics.unsubscribe(sub)
	}
	heartbeat := time.NewTicker(5 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case <-heartbeat.C:
			atomic.AddInt64(&sub.heartbeats, 1)
		case event := <-sub.events:
			select {
			case sub.updates <- event:
			default: // the handler is not reading; drop
			}
		case <-done:
			return
		}
	}
}

func handleWatch(w http.ResponseWriter, r *http.Request) {
	updates := make(chan topicEvent, 8) // shared by this request's watchers
	var subs []*topicSubscription
	for _, name := range strings.Split(r.URL.Query().Get("topics"), ",") {
		if name = strings.TrimSpace(name); name != "" && len(subs) < 8 {
			subs = append(subs, topics.subscribe(name, updates))
		}
	}
	if len(subs) == 0 {
		http.Error(w, "topics: at least one topic required", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	for _, sub := range subs {
		topicWatchers.add(1)
		go watchTopic(ctx, sub)
	}
	received := []topicEvent{}
	deadline := time.NewTimer(watchWait)
	defer deadline.Stop()
collect:
	for len(received) < cap(updates) {
		select {
		case event := <-updates:
			received = append(received, event)
		case <-deadline.C:
			break collect
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(received)
}
