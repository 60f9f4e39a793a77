package worker

import (
	"testing"
	"time"
)

// Stops its pool: no leak.
func TestPoolStops(t *testing.T) {
	p := Start()
	ran := make(chan bool, 1)
	p.Submit(func() { ran <- true })
	<-ran
	p.Stop()
}

// Forgets to call Stop: the pool's goroutine waits on its channel forever.
func TestPoolForgotten(t *testing.T) {
	p := Start()
	ran := make(chan bool, 1)
	p.Submit(func() { ran <- true })
	<-ran
}

// Starts a poller that never ends.
func TestWatch(t *testing.T) {
	Watch(time.Hour, func() {})
}
