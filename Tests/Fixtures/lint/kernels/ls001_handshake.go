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

// extendTimer gives the dialer more time; the timer can then fire after the dialer's Stop.
func extendTimer(t *time.Timer, d time.Duration) { t.Reset(d) }

// Leaks: the timer is reset through a helper, so Stop's answer no longer says the caller waits.
func dialWithinExtended(timeout time.Duration, progress <-chan struct{}, dial func() (net.Conn, error)) (net.Conn, error) {
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
	for {
		select {
		case conn := <-ch:
			return conn, nil
		case <-progress:
			extendTimer(t, timeout)
		case <-t.C:
			return nil, errDialTimeout
		}
	}
}

// Leaks: two sends under one Stop, and the caller takes one.
func dialPairWithin(timeout time.Duration, dial func() (net.Conn, error)) (net.Conn, error) {
	t := time.NewTimer(timeout)
	ch := make(chan net.Conn)
	go func() {
		first, err := dial()
		if err != nil {
			return
		}
		second, err := dial()
		if err != nil {
			first.Close()
			return
		}
		if t.Stop() {
			ch <- first // want "LS001"
			ch <- second
		}
	}()
	select {
	case conn := <-ch:
		return conn, nil
	case <-t.C:
		return nil, errDialTimeout
	}
}

// Fixed: the dialer retries in a loop, but leaves it right after the guarded hand-over.
func dialRetryingWithin(timeout time.Duration, dial func() (net.Conn, error)) (net.Conn, error) {
	t := time.NewTimer(timeout)
	ch := make(chan net.Conn)
	go func() {
		for {
			conn, err := dial()
			if err != nil {
				continue
			}
			if t.Stop() {
				ch <- conn
			} else {
				conn.Close()
			}
			return
		}
	}()
	select {
	case conn := <-ch:
		return conn, nil
	case <-t.C:
		return nil, errDialTimeout
	}
}

// Leaks: this dialer goes round again after its hand-over and sends a second connection.
func dialRepeatedlyWithin(timeout time.Duration, dial func() (net.Conn, error)) (net.Conn, error) {
	t := time.NewTimer(timeout)
	ch := make(chan net.Conn)
	go func() {
		for {
			conn, err := dial()
			if err != nil {
				return
			}
			if t.Stop() {
				ch <- conn // want "LS001"
			}
		}
	}()
	select {
	case conn := <-ch:
		return conn, nil
	case <-t.C:
		return nil, errDialTimeout
	}
}
