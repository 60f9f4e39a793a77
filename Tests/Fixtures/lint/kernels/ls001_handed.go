package main

import (
	"errors"
	"os"
	"strings"
	"time"
)

// runStep runs a start-up step once and names it in its error.
func runStep(name string, step func() error) error {
	if err := step(); err != nil {
		return errors.New(name + ": " + err.Error())
	}
	return nil
}

// runTimedStep hands its step on to runStep: the step still runs once per call.
func runTimedStep(step func() error) error {
	return runStep("timed "+strings.ToLower(os.Getenv("KERNEL_STEP")), step)
}

// forEachVolume runs check once per volume.
func forEachVolume(volumes []string, check func(string) error) {
	for _, v := range volumes {
		_ = check(v)
	}
}

var reloadHooks []func() error

// onReload keeps the hook and runs it on every reload.
func onReload(hook func() error) { reloadHooks = append(reloadHooks, hook) }

// Low: handed to runStep through runTimedStep by handedOnce, which main calls once.
func checkMountsAtStart() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001" low
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("mount check timed out")
	}
}

// Leaks: handed to forEachVolume, which calls it once per volume.
func checkVolume(volume string) error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("volume check timed out: " + volume)
	}
}

// Leaks: handed to onReload, which keeps it to run on every reload.
func checkMountsOnReload() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("mount check timed out on reload")
	}
}

type mountTable struct{ path string }

// Low: its one call is handedOnce's strings.refresh(), where strings is a local mountTable, not
// the package.
func (m *mountTable) refresh() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001" low
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("refreshing " + m.path + " timed out")
	}
}

// runSteps runs every step it is handed, each once per call; main's loop calls it per round.
func runSteps(steps ...func() error) {
	for _, step := range steps {
		_ = step()
	}
}

// pollUntil calls ready until it answers true, handing it back to itself.
func pollUntil(ready func() bool) {
	if !ready() {
		time.Sleep(time.Second)
		pollUntil(ready)
	}
}

// Leaks: main calls it once directly, and runSteps calls it once per round of main's loop.
func checkQuotas() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("quota check timed out")
	}
}

// Leaks: pollUntil calls it once per level of its recursion.
func quotaReady() bool {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		return err == nil
	case <-time.After(time.Second):
		return false
	}
}

// handedOnce is called once, from main's startOnce.
func handedOnce() {
	_ = checkQuotas()
	for range os.Args {
		runSteps(checkQuotas)
	}
	pollUntil(quotaReady)
	_ = runTimedStep(checkMountsAtStart)
	forEachVolume(os.Args[1:], checkVolume)
	onReload(checkMountsOnReload)
	strings := &mountTable{path: "/proc/mounts"}
	_ = strings.refresh()
}

// channelFeed hands out the receiving end of a channel; its reader receives later.
type channelFeed struct{ out <-chan int }

func (f *channelFeed) attach(out <-chan int) { f.out = out }

// Fine: the channel leaves under a second name, and the feed's reader receives.
func attachFeed(f *channelFeed, ready bool) error {
	ch := make(chan int)
	go func() {
		ch <- 1
	}()
	var out <-chan int = ch
	f.attach(out)
	if !ready {
		return errors.New("feed not ready")
	}
	return nil
}

// Leaks: the second variable holds only the channel's length; nothing receives on the error path.
func attachFeedLeaky(ready bool) error {
	ch := make(chan int)
	go func() {
		ch <- 1 // want "LS001"
	}()
	var queued = len(ch)
	if !ready {
		return errors.New("feed not ready")
	}
	println(queued, <-ch)
	return nil
}
