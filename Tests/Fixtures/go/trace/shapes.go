package main

import (
	"sync"
	"time"
)

// parked holds the leaked goroutines' channel so nothing ever receives from it.
var parked = make(chan int)

// leakShape: every 10 ms a request handler starts a sender that nobody receives from (a leak
// that grows), next to healthy workers from another site that finish.
func leakShape(stop chan struct{}) {
	var wg sync.WaitGroup
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			wg.Wait()
			return
		case <-tick.C:
			handleRequest(i)
			wg.Add(1)
			go healthyWorker(&wg, i)
		}
	}
}

// handleRequest starts a goroutine whose result nobody reads.
func handleRequest(i int) {
	go leakySender(i)
}

func leakySender(i int) {
	parked <- i * i
}

func healthyWorker(wg *sync.WaitGroup, i int) {
	defer wg.Done()
	sum := 0
	for j := 0; j < 1000+i; j++ {
		sum += j
	}
	time.Sleep(time.Millisecond)
	_ = sum
}

// healthyShape: a worker pool fed by a channel; every goroutine ends when stop closes.
func healthyShape(stop chan struct{}) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go poolWorker(jobs, &wg)
	}
	for i := 0; ; i++ {
		select {
		case <-stop:
			close(jobs)
			wg.Wait()
			return
		case jobs <- i:
			time.Sleep(time.Millisecond)
		}
	}
}

func poolWorker(jobs chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		_ = j * j
	}
}

// stormShape: a loop spawns short-lived goroutines as fast as it can, each ending at once.
func stormShape(stop chan struct{}) {
	var wg sync.WaitGroup
	for {
		select {
		case <-stop:
			wg.Wait()
			return
		default:
		}
		for k := 0; k < 2000; k++ {
			wg.Add(1)
			go spawnedTask(&wg, k)
		}
		wg.Wait()
	}
}

func spawnedTask(wg *sync.WaitGroup, k int) {
	_ = k * k
	wg.Done()
}

// busyShape: a busy service for the benchmark: many goroutines ping-pong on channels, block on a
// mutex and sleep, and some leak.
func busyShape(stop chan struct{}) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ping, pong := make(chan int), make(chan int)
				go echo(ping, pong)
				for k := 0; k < 50; k++ {
					ping <- k
					<-pong
				}
				close(ping)
				mu.Lock()
				mu.Unlock()
				if w := len(parked); w == 0 && time.Now().UnixNano()%97 == 0 {
					handleRequest(w)
				}
			}
		}()
	}
	wg.Wait()
}

func echo(ping, pong chan int) {
	for v := range ping {
		pong <- v
	}
}

// slowShape: every 10 ms a request handler starts a goroutine that waits two seconds for its reply
// and then ends. For its first two seconds the number waiting grows and none has ended, which snapshots
// cannot tell from a leak; a trace of a few seconds sees every one of them end.
func slowShape(stop chan struct{}) {
	var wg sync.WaitGroup
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			wg.Wait()
			return
		case <-tick.C:
			wg.Add(1)
			handleSlowRequest(&wg)
		}
	}
}

// handleSlowRequest starts a goroutine whose reply arrives after two seconds.
func handleSlowRequest(wg *sync.WaitGroup) {
	reply := make(chan int)
	time.AfterFunc(2*time.Second, func() { close(reply) })
	go awaitReply(wg, reply)
}

func awaitReply(wg *sync.WaitGroup, reply chan int) {
	defer wg.Done()
	<-reply
}
