package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"time"
)

// The lifecycle runners of RunnerLifetimes: a component's Start, Run or Serve runs until the
// context it is given ends, usually at shutdown; a sender stranded only then is stranded once.

type runnerManager struct{}

func (runnerManager) Launch(ctx context.Context) error {
	<-ctx.Done()
	return nil
}

func probeRunnerBackend() error {
	_, err := net.LookupHost("localhost")
	return err
}

type runnerAgent struct{ manager runnerManager }

// Low: the manager's one sender is stranded when the agent's context ends.
func (a *runnerAgent) Start(ctx context.Context) error {
	errc := make(chan error)
	go func() {
		errc <- a.manager.Launch(ctx) // want "LS001" low
	}()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}

// Leaks: a runner that also gives up on a timeout, which can happen on any run.
func (a *runnerAgent) Run(ctx context.Context) error {
	errc := make(chan error)
	go func() {
		errc <- probeRunnerBackend() // want "LS001"
	}()
	select {
	case <-ctx.Done():
		return nil
	case <-time.After(time.Second):
		return errors.New("backend probe timed out")
	case err := <-errc:
		return err
	}
}

type runnerOperator struct{}

// Low: the same through a local copy of the Done channel.
func (o *runnerOperator) Run(ctx context.Context) error {
	stopc := ctx.Done()
	errc := make(chan error)
	go func() {
		errc <- probeRunnerBackend() // want "LS001" low
	}()
	select {
	case err := <-errc:
		return err
	case <-stopc:
		return nil
	}
}

// Leaks: the runner's context is replaced by one with a deadline, which ends on any slow run.
func (o *runnerOperator) Serve(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	errc := make(chan error)
	go func() {
		errc <- probeRunnerBackend() // want "LS001"
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-errc:
		return err
	}
}

// Leaks: no runner: the context of a request ends once per request.
func fetchRunnerStatus(ctx context.Context) error {
	errc := make(chan error)
	go func() {
		errc <- probeRunnerBackend() // want "LS001"
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-errc:
		return err
	}
}

type runnerWebhook struct{}

// Low: the receiving goroutine gives up only when the webhook's context ends.
func (w *runnerWebhook) start(ctx context.Context, l net.Listener) error {
	server := http.Server{ReadHeaderTimeout: time.Second}
	errc := make(chan error)
	go func() {
		errc <- server.Serve(l) // want "LS001" low
	}()
	go func() {
		select {
		case err := <-errc:
			_ = err
		case <-ctx.Done():
			_ = server.Shutdown(context.Background())
		}
	}()
	return nil
}

// Low: the waiter gives up only when the process is told to stop, in any function.
func runChildUntilSignal(signals <-chan os.Signal, cmd *exec.Cmd) error {
	exited := make(chan error)
	go func() {
		exited <- cmd.Wait() // want "LS001" low
	}()
	select {
	case err := <-exited:
		return err
	case sig := <-signals:
		return errors.New("stopped by " + sig.String())
	}
}

// Low: after the signal, the wait for the child gives up on a timeout, which only a signal
// leads to.
func forwardSignalToChild(signals chan os.Signal, cmd *exec.Cmd) error {
	exited := make(chan error)
	go func() {
		exited <- cmd.Wait() // want "LS001" low
	}()
	select {
	case err := <-exited:
		return err
	case sig := <-signals:
		if err := cmd.Process.Signal(sig); err != nil {
			return err
		}
		select {
		case err := <-exited:
			return err
		case <-time.After(10 * time.Second):
			return errors.New("child ignored " + sig.String())
		}
	}
}

// Low: the same with a channel signal.Notify fills here.
func runChildUntilInterrupt(cmd *exec.Cmd) error {
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	exited := make(chan error)
	go func() {
		exited <- cmd.Wait() // want "LS001" low
	}()
	select {
	case err := <-exited:
		return err
	case <-interrupts:
		return errors.New("interrupted")
	}
}

// Leaks: a stop channel of the caller's own may be closed once per call.
func runChildUntilStopped(stop <-chan struct{}, cmd *exec.Cmd) error {
	exited := make(chan error)
	go func() {
		exited <- cmd.Wait() // want "LS001"
	}()
	select {
	case err := <-exited:
		return err
	case <-stop:
		return errors.New("stopped")
	}
}

// Silent: the other case waits on a context nothing cancels, whose Done channel is nil: the
// receiver always takes the result.
func execInContainer(cmd *exec.Cmd) error {
	ctx := context.Background()
	exited := make(chan error)
	go func() {
		exited <- cmd.Wait()
	}()
	select {
	case err := <-exited:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Leaks: the same local is later given a deadline, which ends.
func execInContainerWithin(cmd *exec.Cmd, patience time.Duration) error {
	ctx := context.Background()
	if patience > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, patience)
		defer cancel()
	}
	exited := make(chan error)
	go func() {
		exited <- cmd.Wait() // want "LS001"
	}()
	select {
	case err := <-exited:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

type runnerProbe struct{ ready func() error }

// Leaks: a failed readiness check returns before the select, whatever the select waits for.
func (p *runnerProbe) Run(ctx context.Context) error {
	errc := make(chan error)
	go func() {
		errc <- probeRunnerBackend() // want "LS001"
	}()
	if err := p.ready(); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}
