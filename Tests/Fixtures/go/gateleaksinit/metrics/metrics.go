// Package metrics starts a flusher from init, as many logging and metrics libraries do: it runs
// for the life of the process and is no test's leak. Its Subscribe leaks a goroutine per call
// that is never unsubscribed.
package metrics

import "time"

var pending = make(chan int, 16)

func init() {
	go flushForever()
}

func flushForever() {
	for {
		select {
		case <-pending:
		case <-time.After(time.Hour):
		}
	}
}

// Subscribe delivers updates to fn until the returned stop function is called.
func Subscribe(fn func(int)) (stop func()) {
	updates := make(chan int)
	done := make(chan struct{})
	go deliver(updates, done, fn)
	return func() { close(done) }
}

func deliver(updates chan int, done chan struct{}, fn func(int)) {
	for {
		select {
		case v := <-updates:
			fn(v)
		case <-done:
			return
		}
	}
}
