package main

import "sync"

func work() {}

// Leaks: Wait may return before the goroutines call Add.
func fanOut(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		go func() {
			wg.Add(1) // want "LS007"
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
}

// Fixed.
func fanOutFixed(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
}

// A pool whose Run holds one count of its own until Stop gives it back (packetfence's queue
// workers): the workers' own Adds come while the count is above zero, so Run's Wait cannot pass
// them; only a Stop racing the start can. Low.
type queuePool struct {
	active  sync.WaitGroup
	size    int
}

func (p *queuePool) Run() {
	p.active.Add(1)
	for i := 0; i < p.size; i++ {
		go func() {
			p.active.Add(1) // want "LS007" low
			defer p.active.Done()
			work()
		}()
	}
	p.active.Wait()
}

func (p *queuePool) Stop() {
	p.active.Done()
	p.active.Wait()
}

// Leaks: the count added first is taken back by the first goroutine, so the count can reach
// zero, and Wait return, before the others call Add.
func fanOutAfterFirst(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		work()
	}()
	for i := 0; i < n; i++ {
		go func() {
			wg.Add(1) // want "LS007"
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
}
