package main

import (
	"context"
	"time"
)

func use(ctx context.Context) error { return ctx.Err() }

// Leaks: the cancel function is thrown away.
func discarded(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "LS003" low
	return use(ctx)
}

// Leaks, with low confidence: the cancel function of a cancel-only context is thrown away: the
// context stays registered with its parent until the parent ends, one per call.
func discardedCancel(parent context.Context) error {
	ctx, _ := context.WithCancel(parent) // want "LS003" low
	return use(ctx)
}

// Leaks: one more child registered with the same parent on every turn, none ever dropped
// before the parent ends.
func discardedPerTurn(parent context.Context, jobs <-chan func(context.Context)) {
	for job := range jobs {
		ctx, _ := context.WithCancel(parent) // want "LS003"
		job(ctx)
	}
}

// Fixed: each turn cancels its child.
func cancelledPerTurn(parent context.Context, jobs <-chan func(context.Context)) {
	for job := range jobs {
		ctx, cancel := context.WithCancel(parent)
		job(ctx)
		cancel()
	}
}

// Leaks, with low confidence: each turn's child has its own parent, made and dropped in the
// same turn; the children go with their parents.
func discardedUnderTurnParent(parents []context.Context, run func(context.Context)) {
	for _, p := range parents {
		ctx, _ := context.WithCancel(p) // want "LS003" low
		run(ctx)
	}
}

// Leaks, with low confidence (as every cancel missed on a path): the error path returns before
// cancel is deferred.
func earlyReturn(parent context.Context, check func() error) error {
	ctx, cancel := context.WithCancel(parent) // want "LS003" low
	if err := check(); err != nil {
		return err
	}
	defer cancel()
	return use(ctx)
}

// Leaks: only one arm cancels.
func oneArm(parent context.Context, fast bool) error {
	ctx, stop := context.WithDeadline(parent, time.Now().Add(time.Second)) // want "LS003" low
	if fast {
		stop()
		return nil
	}
	return use(ctx)
}

// Fixed.
func deferred(parent context.Context, check func() error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	if err := check(); err != nil {
		return err
	}
	return use(ctx)
}

// Fixed: the caller gets the cancel function.
func handedOver(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	return ctx, cancel
}

// Fixed (nothing to leak): a cancel-only context under Background registers with no parent and
// starts no timer, so dropping its cancel leaves only garbage.
func detached(payload func(context.Context) error) error {
	ctx, _ := context.WithCancel(context.Background()) // vet-only: go vet's lostcancel reports it
	return payload(ctx)
}

// Fixed (nothing to leak): likewise on a path that returns before cancel.
func detachedEarly(check func() error) error {
	ctx, cancel := context.WithCancel(context.TODO()) // vet-only: go vet's lostcancel reports it
	if err := check(); err != nil {
		return err
	}
	defer cancel()
	return use(ctx)
}

// Leaks: a timeout context under Background holds its timer until the deadline.
func detachedTimer(check func() error) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour) // want "LS003" low
	if err := check(); err != nil {
		return err
	}
	defer cancel()
	return use(ctx)
}

// Fixed (nothing to leak): the same with Background held in a local first.
func detachedLocal(check func() error) error {
	ctx := context.Background()
	ctx, cancel := context.WithCancel(ctx) // vet-only: go vet's lostcancel reports it
	if err := check(); err != nil {
		return err
	}
	defer cancel()
	return use(ctx)
}

// Leaks: the local starts as Background but may be replaced by the caller's context.
func attachedLocal(parent context.Context, inherit bool, check func() error) error {
	ctx := context.Background()
	if inherit {
		ctx = parent
	}
	ctx, cancel := context.WithCancel(ctx) // want "LS003" low
	if err := check(); err != nil {
		return err
	}
	defer cancel()
	return use(ctx)
}

// Fine: context.WithoutCancel's Done is nil, so the cancel-only child registers with nothing.
func detachedFromCaller(parent context.Context, check func() error) error {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(parent)) // vet-only: go vet's lostcancel reports it
	if err := check(); err != nil {
		return err
	}
	defer cancel(nil)
	return use(ctx)
}

type loggerKey struct{}

// Fixed: a value context under Background is never cancelled, so nothing registers the child:
// dropping its cancel holds nothing.
func withLogger(name string) context.Context {
	ctx, _ := context.WithCancel(context.WithValue(context.Background(), loggerKey{}, name)) // vet-only: go vet's lostcancel reports it
	return ctx
}

// Leaks: under a caller's context the child stays registered with it until the caller's ends.
func withLoggerUnder(parent context.Context, name string) context.Context {
	ctx, _ := context.WithCancel(context.WithValue(parent, loggerKey{}, name)) // want "LS003" low
	return ctx
}

// Fixed: the worker's only way out is its context ending, and the child ends with its parent:
// it never outlives the call (skywalking-satellite's sender loops).
func forwardUntilDone(ctx context.Context, in <-chan int, out func(int)) {
	child, _ := context.WithCancel(ctx) // vet-only: go vet's lostcancel reports it
	for {
		select {
		case <-child.Done():
			return
		case v := <-in:
			out(v)
		}
	}
}

// Leaks: the same worker also returns when its input closes, leaving the child registered with
// a parent that lives on.
func forwardUntilClosed(ctx context.Context, in <-chan int, out func(int)) {
	child, _ := context.WithCancel(ctx) // want "LS003" low
	for {
		select {
		case <-child.Done():
			return
		case v, ok := <-in:
			if !ok {
				return
			}
			out(v)
		}
	}
}

// Leaks: the select's ctx is the per-turn timeout that shadows the parameter, so an idle turn
// returns while the caller's context lives on, the child still registered with it.
func forwardUntilIdle(ctx context.Context, idle time.Duration, in <-chan int, out func(int)) {
	child, _ := context.WithCancel(ctx) // want "LS003" low
	go func() { <-child.Done() }()
	for {
		ctx, cancel := context.WithTimeout(ctx, idle)
		select {
		case <-ctx.Done():
			cancel()
			return
		case v := <-in:
			cancel()
			out(v)
		}
	}
}

// Fixed: the child is dropped when the function cancels its parent, as it does before
// returning (ctlstore's test of cancellation reaching children).
func childOfOwnContext(parent context.Context, use func(context.Context)) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	child, _ := context.WithCancel(ctx) // vet-only: go vet's lostcancel reports it
	use(child)
}

// Leaks: here the child's parent is the caller's context; the function cancels only its own.
func childOfCallersContext(parent context.Context, use func(context.Context)) {
	child, _ := context.WithCancel(parent) // want "LS003" low
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	use(child)
	use(ctx)
}

// Leaks: the function cancels its own context only on the way out of the happy path; the early
// return leaves the child registered under the caller's context.
func childBeforeEarlyReturn(parent context.Context, check func() error, use func(context.Context)) error {
	ctx, stop := context.WithCancel(parent) // want "LS003" low
	child, _ := context.WithCancel(ctx) // want "LS003" low
	if err := check(); err != nil {
		return err
	}
	stop()
	use(child)
	return nil
}

type itemKey struct{}

// Leaks: each turn's parent is a value context of the caller's, so each turn's dropped child
// registers with the caller's context, one more per turn (review: a parent the loop derives).
func tagEach(ctx context.Context, items []string, run func(context.Context)) {
	for _, it := range items {
		vctx := context.WithValue(ctx, itemKey{}, it)
		cctx, _ := context.WithCancel(vctx) // want "LS003"
		run(cctx)
	}
}
