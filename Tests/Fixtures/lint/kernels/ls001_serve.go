package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Fine: after Shutdown, Serve returns http.ErrServerClosed, which the send leaves out, so nothing
// is sent once the receiver took the stop case.
func serveUntilStopped(ln net.Listener, stop <-chan struct{}) error {
	srv := &http.Server{Handler: http.NotFoundHandler()}
	errCh := make(chan error)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errCh <- err
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-stop:
		return srv.Shutdown(context.Background())
	}
}

// Leaks: the same without leaving out http.ErrServerClosed: Serve's return after Shutdown is
// sent to nobody.
func serveUntilStoppedLeaky(ln net.Listener, stop <-chan struct{}) error {
	srv := &http.Server{Handler: http.NotFoundHandler()}
	errCh := make(chan error)
	go func() {
		if err := srv.Serve(ln); err != nil {
			errCh <- err // want "LS001"
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-stop:
		return srv.Shutdown(context.Background())
	}
}

// rpcServer stops like a gRPC server: Serve returns nil once Stop or GracefulStop was called.
type rpcServer struct {
	once    sync.Once
	stopped chan struct{}
}

func (s *rpcServer) Serve(ln net.Listener) error {
	defer ln.Close()
	<-s.stopped
	return nil
}

func (s *rpcServer) GracefulStop() { s.once.Do(func() { close(s.stopped) }) }

// Fine: GracefulStop makes Serve return nil, and only an error is sent.
func serveRPC(ln net.Listener, stop <-chan struct{}) error {
	srv := &rpcServer{stopped: make(chan struct{})}
	errCh := make(chan error)
	go func() {
		if err := srv.Serve(ln); err != nil {
			errCh <- err
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-stop:
		srv.GracefulStop()
		return nil
	}
}

// Leaks: the nil that Serve returns after GracefulStop is sent too, from the else branch.
func serveRPCReportingNil(ln net.Listener, stop <-chan struct{}) error {
	srv := &rpcServer{stopped: make(chan struct{})}
	errCh := make(chan error)
	go func() {
		if err := srv.Serve(ln); err != nil {
			errCh <- err // want "LS001"
		} else {
			errCh <- nil
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-stop:
		srv.GracefulStop()
		return nil
	}
}

// Leaks: the stop case may leave the server running; its later error is sent to nobody.
func serveRPCMaybeStopping(ln net.Listener, stop <-chan struct{}, graceful bool) error {
	srv := &rpcServer{stopped: make(chan struct{})}
	errCh := make(chan error)
	go func() {
		if err := srv.Serve(ln); err != nil {
			errCh <- err // want "LS001"
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-stop:
		if graceful {
			srv.GracefulStop()
		}
		return nil
	}
}

// Fine: the usual drain: Shutdown in the if's initialiser runs before either branch, and the
// ErrServerClosed that Serve then returns is not sent.
func serveUntilDrained(ln net.Listener, ctx context.Context, drain time.Duration) error {
	srv := &http.Server{Handler: http.NotFoundHandler()}
	errCh := make(chan error)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errCh <- err
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-ctx.Done():
		sCtx, cancel := context.WithTimeout(context.Background(), drain)
		defer cancel()
		if err := srv.Shutdown(sCtx); err != nil {
			_ = srv.Close()
			return err
		}
	}
	return nil
}

// Leaks: the same drain, but the ErrServerClosed that Serve returns after Shutdown is sent to
// nobody.
func serveUntilDrainedLeaky(ln net.Listener, ctx context.Context, drain time.Duration) error {
	srv := &http.Server{Handler: http.NotFoundHandler()}
	errCh := make(chan error)
	go func() {
		if err := srv.Serve(ln); err != nil {
			errCh <- err // want "LS001"
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-ctx.Done():
		sCtx, cancel := context.WithTimeout(context.Background(), drain)
		defer cancel()
		if err := srv.Shutdown(sCtx); err != nil {
			_ = srv.Close()
			return err
		}
	}
	return nil
}

// Leaks: the stop case may return before it shuts the server down, which then keeps serving; its
// later error is sent to nobody.
func serveUntilDrainedOrLeft(ln net.Listener, ctx context.Context, leave bool) error {
	srv := &http.Server{Handler: http.NotFoundHandler()}
	errCh := make(chan error)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errCh <- err // want "LS001"
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-ctx.Done():
		if leave {
			return ctx.Err()
		}
		if err := srv.Shutdown(context.Background()); err != nil {
			return err
		}
	}
	return nil
}
