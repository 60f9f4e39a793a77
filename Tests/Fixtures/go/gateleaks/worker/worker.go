// Package worker starts background goroutines; its tests leave one of them running on purpose,
// for `leakscope gate leaks` to find.
package worker

import "time"

// Pool hands jobs to a goroutine that runs until Stop closes its channel.
type Pool struct {
	jobs chan func()
	done chan struct{}
}

// Start starts the pool's goroutine.
func Start() *Pool {
	p := &Pool{jobs: make(chan func()), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *Pool) loop() {
	defer close(p.done)
	for job := range p.jobs {
		job()
	}
}

// Stop ends the goroutine and waits for it.
func (p *Pool) Stop() {
	close(p.jobs)
	<-p.done
}

// Submit runs job on the pool's goroutine.
func (p *Pool) Submit(job func()) { p.jobs <- job }

// Watch polls forever: nothing can stop it.
func Watch(interval time.Duration, tick func()) {
	go func() {
		for {
			time.Sleep(interval)
			tick()
		}
	}()
}
