package main

import (
	"bufio"
	"context"
	"io"
)

// Leaks: the reader hands each line to a second goroutine, which stops on ctx.Done; the
// reader's next send then has no receiver. The function's own return is beside the point:
// the finding names the receiver's.
func pumpLines(ctx context.Context, r io.Reader, use func(string)) error {
	lines := make(chan string)
	go func() {
		scanner := bufio.NewScanner(r)
		for scanner.Scan() {
			lines <- scanner.Text() // want "LS001"
		}
	}()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case line := <-lines:
				use(line)
			}
		}
	}()
	return nil
}

// Fine: the second goroutine takes lines for as long as the process runs, so no send waits
// forever, whatever the function does after starting it.
func pumpLinesForever(r io.Reader, use func(string)) error {
	lines := make(chan string)
	go func() {
		scanner := bufio.NewScanner(r)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
	}()
	go func() {
		for {
			line := <-lines
			use(line)
		}
	}()
	return nil
}

// Fine: the receiver takes the one value first thing, then loops on its own; its returns come
// after the receive.
func signalOnce(ctx context.Context, ready func() bool, tick <-chan struct{}) error {
	started := make(chan struct{})
	go func() {
		for !ready() {
			<-tick
		}
		started <- struct{}{}
	}()
	go func() {
		<-started
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick:
			}
		}
	}()
	return nil
}

// Leaks: the receiver takes one line and is done, but the reader sends every line: the second
// send has no receiver.
func oneLineTaken(r io.Reader, use func(string)) error {
	lines := make(chan string)
	go func() {
		scanner := bufio.NewScanner(r)
		for scanner.Scan() {
			lines <- scanner.Text() // want "LS001"
		}
	}()
	go func() {
		line := <-lines
		use(line)
	}()
	return nil
}

// Fine: as pumpLinesForever, with the receiver started before the reader.
func pumpLinesReceiverFirst(r io.Reader, use func(string)) error {
	lines := make(chan string)
	go func() {
		for {
			use(<-lines)
		}
	}()
	go func() {
		scanner := bufio.NewScanner(r)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
	}()
	return nil
}

// Leaks: the accept loop reports its error to a watcher that may already have left on the stop
// signal (octelium's userspace device): the watcher takes its other case, runs off its end and
// never receives, so the loop's send blocks forever. The finding names the watcher's case, not
// the function's return.
func acceptUntilStopped(accept func() (io.Closer, error), stop <-chan struct{}, closeAll func()) error {
	errs := make(chan error)
	go func() {
		for {
			c, err := accept()
			if err != nil {
				errs <- err // want "LS001"
				return
			}
			_ = c.Close()
		}
	}()
	go func() {
		select {
		case <-stop:
		case <-errs:
		}
		closeAll()
	}()
	return nil
}

// Fine: the error has a buffer of one, so the loop's one send never waits for the watcher.
func acceptUntilStoppedBuffered(accept func() (io.Closer, error), stop <-chan struct{}, closeAll func()) error {
	errs := make(chan error, 1)
	go func() {
		for {
			c, err := accept()
			if err != nil {
				errs <- err
				return
			}
			_ = c.Close()
		}
	}()
	go func() {
		select {
		case <-stop:
		case <-errs:
		}
		closeAll()
	}()
	return nil
}

// Fine: the exit's one send is taken on every path of the watcher: it receives the exit, or on
// a kill it stops the process and then drains the exit's channel (minimega's container watcher).
// The function's own return does not matter.
func superviseUntilKilled(wait func() error, kill <-chan struct{}, stop func()) error {
	exited := make(chan error)
	go func() {
		defer close(exited)
		exited <- wait()
	}()
	go func() {
		select {
		case err := <-exited:
			_ = err
		case <-kill:
			stop()
			for range exited {
			}
		}
	}()
	return nil
}

// Leaks: as superviseUntilKilled, but a kill that fails to stop the process leaves the select
// without draining: the exit's send then has no receiver.
func superviseUntilKilledUnlessStuck(wait func() error, kill <-chan struct{}, stop func() bool) error {
	exited := make(chan error)
	go func() {
		defer close(exited)
		exited <- wait() // want "LS001"
	}()
	go func() {
		select {
		case err := <-exited:
			_ = err
		case <-kill:
			if !stop() {
				break
			}
			for range exited {
			}
		}
	}()
	return nil
}

// Fine: the watcher reports a slow bind after a while but leaves only once the bind's one
// answer has come (packetfence's dynamic reverse tunnel), so that answer always has a taker.
func bindWithProgress(bind func() error, slow <-chan struct{}) error {
	answer := make(chan error)
	go func() {
		answer <- bind()
	}()
	report := make(chan error, 1)
	go func() {
		reported := false
		for {
			select {
			case <-slow:
				if !reported {
					report <- nil
					reported = true
				}
			case err := <-answer:
				if !reported {
					report <- err
				}
				return
			}
		}
	}()
	return <-report
}

// Leaks: as bindWithProgress, but the watcher gives up when the bind is slow: the bind's late
// answer then has no taker.
func bindOrGiveUp(bind func() error, slow <-chan struct{}) error {
	answer := make(chan error)
	go func() {
		answer <- bind() // want "LS001"
	}()
	report := make(chan error, 1)
	go func() {
		for {
			select {
			case <-slow:
				report <- nil
				return
			case err := <-answer:
				report <- err
				return
			}
		}
	}()
	return <-report
}

// Fine: bindWithProgress retried, each try with a channel of its own made in the loop's body:
// every try's one answer has its own watcher waiting for it.
func bindWithRetries(bind func() error, slow <-chan struct{}) error {
	var err error
	for try := 0; try < 3; try++ {
		answer := make(chan error)
		go func() {
			answer <- bind()
		}()
		report := make(chan error, 1)
		go func() {
			var got error
			for {
				select {
				case <-slow:
				case got = <-answer:
					report <- got
					return
				}
			}
		}()
		if err = <-report; err == nil {
			return nil
		}
	}
	return err
}

// Leaks: the same retries, but each try's watcher gives up when the bind is slow.
func bindWithRetriesGivingUp(bind func() error, slow <-chan struct{}) error {
	var err error
	for try := 0; try < 3; try++ {
		answer := make(chan error)
		go func() {
			answer <- bind() // want "LS001"
		}()
		report := make(chan error, 1)
		go func() {
			for {
				select {
				case <-slow:
					report <- nil
					return
				case err := <-answer:
					report <- err
					return
				}
			}
		}()
		if err = <-report; err == nil {
			return nil
		}
	}
	return err
}
