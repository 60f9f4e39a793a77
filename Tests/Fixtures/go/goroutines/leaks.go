package main

import (
	"context"
	"net"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// pending counts goroutines started but not yet at their blocking point.
var pending atomic.Int64

// park is called by a goroutine just before it blocks.
func park() { pending.Add(-1) }

// spawn starts n goroutines running body, recording them under function.
func spawn(function, kind, state string, n int, leak bool, labels map[string]string, body func()) {
	record(function, kind, state, n, leak, labels)
	pending.Add(int64(n))
	start := func() {
		for i := 0; i < n; i++ {
			go body()
		}
	}
	if labels == nil {
		start()
		return
	}
	var pairs []string
	for k, v := range labels {
		pairs = append(pairs, k, v)
	}
	pprof.Do(context.Background(), pprof.Labels(pairs...), func(context.Context) { start() })
}

// modernState picks the wait reason by toolchain: before Go 1.20 the sync
// package's waits other than Cond all print as "semacquire".
func modernState(modern string) string {
	v := strings.TrimPrefix(runtime.Version(), "go1.")
	if i := strings.IndexAny(v, ".rcbeta"); i >= 0 {
		v = v[:i]
	}
	if minor, err := strconv.Atoi(v); err == nil && minor < 20 {
		return "semacquire"
	}
	return modern
}

// Globals that keep leaked primitives reachable, which hides them from Go
// 1.27's goroutineleak profile.
var (
	configEvents = make(chan string) // nobody sends, nobody closes
	registryLock struct {
		sync.Mutex
		entries map[string]int
	}
	tableLock  sync.RWMutex
	idleConns  []net.Conn
	pipeWriter int
)

// sendResult is the early-return leak: its caller gave up and returned, so
// nobody will ever receive on the unbuffered channel.
func sendResult(out chan<- int) {
	park()
	out <- 42
}

func abandonRequest() {
	out := make(chan int)
	go sendResult(out)
	// The caller returns without receiving (a timeout or an error path).
}

// drainJobs ranges over a channel its producer never closes.
func drainJobs(jobs <-chan int) {
	park()
	for range jobs {
	}
}

// awaitGlobalEvent waits on a channel reachable from a global.
func awaitGlobalEvent() {
	park()
	<-configEvents
}

// awaitEither selects on two channels that nobody will use again.
func awaitEither(done <-chan struct{}, results <-chan int) {
	park()
	select {
	case <-done:
	case <-results:
	}
}

func receiveNil() {
	var c chan int
	park()
	<-c
}

func sendNil() {
	var c chan int
	park()
	c <- 1
}

func blockForever() {
	park()
	select {}
}

// lockHeldMutex waits for a lock that a live struct never releases.
func lockHeldMutex() {
	park()
	registryLock.Lock()
	registryLock.entries["x"]++
	registryLock.Unlock()
}

func readLockedTable() {
	park()
	tableLock.RLock()
	tableLock.RUnlock()
}

func writeLockedTable() {
	park()
	tableLock.Lock()
	tableLock.Unlock()
}

func waitForWorkers(wg *sync.WaitGroup) {
	park()
	wg.Wait()
}

func waitForSignal(c *sync.Cond) {
	c.L.Lock()
	park()
	c.Wait()
	c.L.Unlock()
}

// readIdleConn reads from a loopback TCP connection nobody writes to.
func readIdleConn(c net.Conn) {
	park()
	buf := make([]byte, 1)
	c.Read(buf)
}

func sleepForever() {
	park()
	for {
		time.Sleep(time.Hour)
	}
}

// blockInSyscall reads a blocking pipe with a raw system call, outside the netpoller.
func blockInSyscall(fd int) {
	park()
	buf := make([]byte, 1)
	syscall.Read(fd, buf)
}

var spinSink atomic.Int64

func spin() {
	park()
	for i := int64(0); ; i++ {
		if i%1_000_000 == 0 {
			spinSink.Add(1)
		}
	}
}

// startLeaks starts every blocking kind as a leak, in known numbers.
func startLeaks() {
	// Send after the receiver returned; labelled like a request handler.
	labels := map[string]string{"handler": "/api/send", "tenant": "a b"}
	record("main.sendResult", "chanSend", "chan send", 7, true, labels)
	pending.Add(7)
	pprof.Do(context.Background(), pprof.Labels("handler", "/api/send", "tenant", "a b"), func(context.Context) {
		for i := 0; i < 7; i++ {
			abandonRequest()
		}
	})

	jobs := make(chan int)
	spawn("main.drainJobs", "chanReceive", "chan receive", 5, true, nil, func() { drainJobs(jobs) })
	spawn("main.awaitGlobalEvent", "chanReceive", "chan receive", 6, true, nil, awaitGlobalEvent)
	done, results := make(chan struct{}), make(chan int)
	spawn("main.awaitEither", "select", "select", 4, true, nil, func() { awaitEither(done, results) })
	spawn("main.receiveNil", "nilChannel", "chan receive (nil chan)", 2, true, nil, receiveNil)
	spawn("main.sendNil", "nilChannel", "chan send (nil chan)", 3, true, nil, sendNil)
	spawn("main.blockForever", "emptySelect", "select (no cases)", 3, true, nil, blockForever)

	registryLock.Lock() // held forever by a struct that stays alive
	registryLock.entries = map[string]int{}
	spawn("main.lockHeldMutex", "mutex", modernState("sync.Mutex.Lock"), 4, true, nil, lockHeldMutex)
	tableLock.Lock() // a writer that never unlocks
	spawn("main.readLockedTable", "rwMutex", modernState("sync.RWMutex.RLock"), 3, true, nil, readLockedTable)
	spawn("main.writeLockedTable", "rwMutex", modernState("sync.Mutex.Lock") /* RWMutex.Lock first takes the writers' Mutex */, 2, true, nil, writeLockedTable)

	wg := new(sync.WaitGroup)
	wg.Add(1) // never Done
	spawn("main.waitForWorkers", "waitGroup", modernState("sync.WaitGroup.Wait"), 3, true,
		map[string]string{"component": "batch"}, func() { waitForWorkers(wg) })
	cond := sync.NewCond(new(sync.Mutex))
	spawn("main.waitForSignal", "cond", "sync.Cond.Wait", 3, true, nil, func() { waitForSignal(cond) })

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	const readers = 3
	var clients []net.Conn
	for i := 0; i < readers; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			fail(err)
		}
		s, err := ln.Accept()
		if err != nil {
			fail(err)
		}
		idleConns = append(idleConns, s) // the server side stays open and silent
		clients = append(clients, c)
	}
	ln.Close()
	next := 0
	spawn("main.readIdleConn", "ioWait", "IO wait", readers, true, nil, func() {
		registryMu.Lock()
		c := clients[next]
		next++
		registryMu.Unlock()
		readIdleConn(c)
	})

	spawn("main.sleepForever", "sleep", "sleep", 2, true, nil, sleepForever)

	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		fail(err)
	}
	pipeWriter = fds[1] // kept open so the reads block
	spawn("main.blockInSyscall", "syscall", "syscall", 2, true, nil, func() { blockInSyscall(fds[0]) })

	spawn("main.spin", "running", "running", 1, true, nil, spin)
}
