package main

import (
	"errors"
	"os"
	"sync"
	"time"
)

// retrier runs the function handed to Submit again after every failure.
type retrier struct{}

func (retrier) Submit(f func() error) {
	for f() != nil {
		time.Sleep(time.Second)
	}
}

func collectResults(results chan string) error {
	done := make(chan bool)
	go func() {
		for range results {
		}
		done <- true // want "LS001" low
	}()
	if len(os.Args) > 5 {
		return errors.New("too many arguments")
	}
	close(results)
	<-done
	return nil
}

func collectResultsRetried(results chan string) error {
	done := make(chan bool)
	go func() {
		for range results {
		}
		done <- true // want "LS001"
	}()
	if len(os.Args) > 5 {
		return errors.New("too many arguments")
	}
	close(results)
	<-done
	return nil
}

// Low: main runs it once, and a sync.WaitGroup's Go (Go 1.25, like errgroup's) runs the literal
// once: one collector is stranded when the arguments are refused.
func runChecksOnce() {
	var wg sync.WaitGroup
	wg.Go(func() { _ = collectResults(make(chan string)) })
	wg.Wait()
}

// Leaks: the retrier runs its literal again after every failure, one more collector each time
// (and a Go method of the package's own type may do the same: only the standard library's,
// errgroup's and conc's groups count).
func runChecksRetried() {
	retrier{}.Submit(func() error { return collectResultsRetried(make(chan string)) })
}

var configOnce sync.Once

func loadConfigFile() error {
	done := make(chan error)
	go func() {
		_, err := os.ReadFile(os.Getenv("KERNEL_CONFIG"))
		done <- err // want "LS001" low
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("config read timed out")
	}
}

func loadConfigFileEach() error {
	done := make(chan error)
	go func() {
		_, err := os.ReadFile(os.Getenv("KERNEL_CONFIG"))
		done <- err // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("config read timed out")
	}
}

// Low: whoever calls it, and however often, the package-level Once runs the read once per
// process: one reader is stranded when it times out.
func config() {
	configOnce.Do(func() { _ = loadConfigFile() })
}

var reloadOnce sync.Once

// A package-level literal resets reloadOnce: its Do may run again.
var resetReload = func() { reloadOnce = sync.Once{} }

func loadReloadFile() error {
	done := make(chan error)
	go func() {
		_, err := os.ReadFile(os.Getenv("KERNEL_RELOAD"))
		done <- err // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("reload read timed out")
	}
}

// Leaks: the Once is reset before every reload, so each one can strand another reader.
func reload() {
	resetReload()
	reloadOnce.Do(func() { _ = loadReloadFile() })
}

// Leaks: a Once per call guards nothing across calls.
func configEach() {
	var once sync.Once
	once.Do(func() { _ = loadConfigFileEach() })
}

func startGroups() {
	runChecksOnce()
	runChecksRetried()
	for range os.Args {
		config()
		configEach()
		reload()
	}
}

// Silent: done fires only after wg.Wait, and each result received counts one wg.Done, so every
// worker's send is taken before the loop can return (ci-tools' step runner).
func collectUntilDrained(jobs []int) []int {
	results := make(chan int)
	done := make(chan bool)
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	go func() {
		wg.Wait()
		done <- true
	}()
	for _, j := range jobs {
		go square(j, results)
	}
	var out []int
	for {
		select {
		case r := <-results:
			out = append(out, r)
			wg.Done()
		case <-done:
			close(done)
			return out
		}
	}
}

// Leaks: the workers count themselves down before they send, so done can fire while a send is
// still pending, and the loop returns without it.
func collectUntilCounted(jobs []int) []int {
	results := make(chan int)
	done := make(chan bool)
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	go func() {
		wg.Wait()
		done <- true
	}()
	for _, j := range jobs {
		go func(j int) {
			wg.Done()
			results <- j * j // want "LS001"
		}(j)
	}
	var out []int
	for {
		select {
		case r := <-results:
			out = append(out, r)
		case <-done:
			return out
		}
	}
}

func square(j int, results chan<- int) {
	results <- j * j
}
