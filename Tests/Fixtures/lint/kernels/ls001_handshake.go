package main

import (
	"context"
	"errors"
	"net"
	"time"
)

var errDialTimeout = errors.New("dial timed out")

// Fixed: the dialer hands the connection over only when Stop says the timer had not fired, so
// the caller is still in its select; otherwise it closes the connection itself.
func dialWithin(timeout time.Duration, dial func() (net.Conn, error)) (net.Conn, error) {
	t := time.NewTimer(timeout)
	ch := make(chan net.Conn)
	go func() {
		conn, err := dial()
		if err != nil {
			return
		}
		if t.Stop() {
			ch <- conn
		} else {
			conn.Close()
		}
	}()
	select {
	case conn := <-ch:
		return conn, nil
	case <-t.C:
		return nil, errDialTimeout
	}
}

// Leaks: the same dialer without the Stop guard blocks once the caller has timed out.
func dialWithinUnguarded(timeout time.Duration, dial func() (net.Conn, error)) (net.Conn, error) {
	t := time.NewTimer(timeout)
	ch := make(chan net.Conn)
	go func() {
		conn, err := dial()
		if err != nil {
			return
		}
		ch <- conn // want "LS001"
	}()
	select {
	case conn := <-ch:
		return conn, nil
	case <-t.C:
		return nil, errDialTimeout
	}
}

// Leaks: Stop guards against the timer, but the caller can also leave on cancellation.
func dialWithinOrCancel(ctx context.Context, timeout time.Duration, dial func() (net.Conn, error)) (net.Conn, error) {
	t := time.NewTimer(timeout)
	ch := make(chan net.Conn)
	go func() {
		conn, err := dial()
		if err != nil {
			return
		}
		if t.Stop() {
			ch <- conn // want "LS001"
		}
	}()
	select {
	case conn := <-ch:
		return conn, nil
	case <-t.C:
		return nil, errDialTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Leaks: the caller restarts the timer, so it can fire after the dialer's Stop.
func dialWithinRestarted(timeout time.Duration, dial func() (net.Conn, error)) (net.Conn, error) {
	t := time.NewTimer(timeout)
	ch := make(chan net.Conn)
	go func() {
		conn, err := dial()
		if err != nil {
			return
		}
		if t.Stop() {
			ch <- conn // want "LS001"
		}
	}()
	t.Reset(timeout)
	select {
	case conn := <-ch:
		return conn, nil
	case <-t.C:
		return nil, errDialTimeout
	}
}
