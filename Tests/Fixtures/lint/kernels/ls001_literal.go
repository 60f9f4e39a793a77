package main

type watch struct {
	feed    chan string
	outcome chan error
}

// Leaks: the result channel stays local, and the caller's early return abandons the sender.
func startWatch(ok bool) error {
	done := make(chan error)
	go func() {
		done <- nil // want "LS001"
	}()
	if !ok {
		return nil
	}
	return <-done
}

// Silent: the channel leaves in the returned struct; whoever holds it receives.
func startWatchHandedOut() *watch {
	done := make(chan error)
	go func() {
		done <- nil
	}()
	return &watch{feed: make(chan string, 1), outcome: done}
}

// Fine: the channel's address is returned, and the caller receives from it.
func captureOutput(read func() string) *chan string {
	out := make(chan string)
	go func() {
		out <- read()
	}()
	return &out
}
