package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Notifications: a client long-polls for a user's devices; each device gets a subscriber in the
// global notifier and a goroutine that renders what arrives on the subscriber's inbox.

const notificationWait = 30 * time.Millisecond

type notification struct {
	User    string
	Kind    string
	OrderID int64
}

type deviceSubscriber struct {
	user   string
	device string
	inbox  chan notification // written by the notifier, closed by unsubscribe
	outbox chan string       // rendered messages for the waiting request
}

// notifier is global: its map keeps every subscriber (and its inbox) reachable.
type notifier struct {
	mu     sync.Mutex
	byUser map[string][]*deviceSubscriber
}

var notifications = &notifier{byUser: make(map[string][]*deviceSubscriber)}

var notificationDeliverers = &leakCounter{name: "global-chan"}

func (n *notifier) subscribe(user, device string, outbox chan string) *deviceSubscriber {
	sub := &deviceSubscriber{user: user, device: device, inbox: make(chan notification, 4), outbox: outbox}
	n.mu.Lock()
	n.byUser[user] = append(n.byUser[user], sub)
	n.mu.Unlock()
	return sub
}

// unsubscribe removes sub and closes its inbox, which ends its delivery goroutine.
func (n *notifier) unsubscribe(sub *deviceSubscriber) {
	n.mu.Lock()
	defer n.mu.Unlock()
	subs := n.byUser[sub.user]
	for i, s := range subs {
		if s == sub {
			subs[i] = subs[len(subs)-1]
			subs[len(subs)-1] = nil
			subs = subs[:len(subs)-1]
			close(sub.inbox)
			break
		}
	}
	if len(subs) == 0 {
		delete(n.byUser, sub.user)
	} else {
		n.byUser[sub.user] = subs
	}
}

// notify offers msg to every device of msg.User without waiting for slow ones.
func (n *notifier) notify(msg notification) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, sub := range n.byUser[msg.User] {
		select {
		case sub.inbox <- msg:
		default:
		}
	}
}

// deliverNotifications renders each notification for sub's device until the inbox is closed.
func deliverNotifications(sub *deviceSubscriber) {
	defer notificationDeliverers.add(-1)
	for msg := range sub.inbox {
		text := fmt.Sprintf("[%s] %s: order %d", sub.device, msg.Kind, msg.OrderID)
		select {
		case sub.outbox <- text:
		default:
		}
	}
}

func handleNotifications(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	if user == "" {
		http.Error(w, "user: required", http.StatusBadRequest)
		return
	}
	outbox := make(chan string, 8)
	var subs []*deviceSubscriber
	for _, device := range strings.Split(r.URL.Query().Get("devices"), ",") {
		if device = strings.TrimSpace(device); device != "" && len(subs) < 8 {
			subs = append(subs, notifications.subscribe(user, device, outbox))
		}
	}
	if len(subs) == 0 {
		subs = append(subs, notifications.subscribe(user, "web", outbox))
	}
	leak := faultActive(faultGlobalChan) && notificationDeliverers.below(int64(limits.goroutinesPerFault))
	for _, sub := range subs {
		notificationDeliverers.add(1)
		go deliverNotifications(sub)
		if !leak {
			// The fix: when the request ends, take the subscriber out and close its inbox.
			// The bug forgot this, so nothing ever closes the channel the goroutine ranges over.
			defer notifications.unsubscribe(sub)
		}
	}
	received := []string{}
	deadline := time.NewTimer(notificationWait)
	defer deadline.Stop()
collect:
	for len(received) < cap(outbox) {
		select {
		case text := <-outbox:
			received = append(received, text)
		case <-deadline.C:
			break collect
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(received)
}
