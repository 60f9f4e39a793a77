package main

import (
	"errors"
	"net"
)

type dialed struct {
	conn net.Conn
	err  error
}

// connPool hands out idle connections, or dials a new one.
type connPool struct {
	idle chan net.Conn
	max  int
	open int
}

func (p *connPool) put(c net.Conn) {
	select {
	case p.idle <- c:
	default:
		c.Close()
	}
}

// Fixed: when an idle connection wins, a goroutine takes the dial's result, whichever of the
// dialer's two sends runs (bfe's getConn): the dialer never blocks.
func (p *connPool) get(dial func() (net.Conn, error)) (net.Conn, error) {
	results := make(chan dialed)
	go func() {
		if p.open >= p.max {
			results <- dialed{nil, errors.New("too many connections")}
			return
		}
		c, err := dial()
		results <- dialed{c, err}
	}()
	select {
	case r := <-results:
		return r.conn, r.err
	case c := <-p.idle:
		go func() {
			if r := <-results; r.err == nil {
				p.put(r.conn)
			}
		}()
		return c, nil
	}
}

// Leaks: this dialer sends twice on its way out, and the goroutine taking over when an idle
// connection wins receives once: the second send blocks forever.
func (p *connPool) getReporting(dial func() (net.Conn, error)) (net.Conn, error) {
	results := make(chan dialed)
	go func() {
		c, err := dial()
		results <- dialed{c, err} // want "LS001"
		results <- dialed{nil, nil}
	}()
	select {
	case r := <-results:
		return r.conn, r.err
	case c := <-p.idle:
		go func() {
			if r := <-results; r.err == nil {
				p.put(r.conn)
			}
		}()
		return c, nil
	}
}

// Leaks: two sends in a row before the return, and the drain takes one.
func (p *connPool) getTwice(dial func() (net.Conn, error)) (net.Conn, error) {
	results := make(chan dialed)
	go func() {
		c, err := dial()
		results <- dialed{c, err} // want "LS001"
		results <- dialed{nil, err}
		return
	}()
	select {
	case r := <-results:
		return r.conn, r.err
	case c := <-p.idle:
		go func() {
			if r := <-results; r.err == nil {
				p.put(r.conn)
			}
		}()
		return c, nil
	}
}

func connPools() {
	p := &connPool{idle: make(chan net.Conn, 1), max: 1}
	_, _ = p.get(func() (net.Conn, error) { return nil, errors.New("no network") })
	_, _ = p.getReporting(func() (net.Conn, error) { return nil, errors.New("no network") })
}
