package main

import (
	"context"
	"runtime/pprof"
	"strconv"
)

// Mode large: many goroutines over varied stacks (recursion depth 0–15), a fifth of
// them labelled, all parked on one channel that a live global holds.

var largeGate = make(chan struct{})

const largeDepths = 16

func startLarge(n int) {
	labelled := 0
	pending.Add(int64(n))
	for i := 0; i < n; i++ {
		depth := i % largeDepths
		if i%5 == 0 {
			labelled++
			pprof.Do(context.Background(), pprof.Labels("shard", strconv.Itoa(i%7)), func(context.Context) {
				go descend(depth)
			})
		} else {
			go descend(depth)
		}
	}
	record("main.parkDeep", "chanReceive", "chan receive", n, true, nil)
	largeLabelled = labelled
}

var largeLabelled int

// descend recurses depth times, so goroutines differ in stack but block at one site.
//
//go:noinline
func descend(depth int) {
	if depth == 0 {
		parkDeep()
		return
	}
	descend(depth - 1)
}

//go:noinline
func parkDeep() {
	park()
	<-largeGate
}
