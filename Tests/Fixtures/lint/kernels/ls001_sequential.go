package main

import (
	"errors"
	"io"
)

// Leaks once: an early return leaves the copier blocked on size; it never reaches the send on
// errs, whose values the last statement takes together.
func copyAndHash(dst io.Writer, src io.Reader, hash func(io.Reader) (string, error)) (string, int64, error) {
	pr, pw := io.Pipe()
	size := make(chan int64)
	errs := make(chan error)
	go func() {
		n, err := io.Copy(io.MultiWriter(dst, pw), src)
		pw.CloseWithError(err)
		size <- n // want "LS001"
		errs <- err
	}()
	sum, err := hash(pr)
	if err != nil {
		return "", 0, err
	}
	return sum, <-size, <-errs
}

// Leaks twice over: the function takes the size, then may return before it takes the error.
func copyAndCheck(dst io.Writer, src io.Reader, limit int64) (int64, error) {
	size := make(chan int64)
	errs := make(chan error)
	go func() {
		n, err := io.Copy(dst, src)
		size <- n   // want "LS001"
		errs <- err // want "LS001"
	}()
	if limit <= 0 {
		return 0, errors.New("no limit")
	}
	n := <-size
	if n > limit {
		return n, errors.New("over the limit")
	}
	return n, <-errs
}

// Leaks at the second send: the first channel has room for its value.
func copyBuffered(dst io.Writer, src io.Reader, ready func() bool) (int64, error) {
	size := make(chan int64, 1)
	errs := make(chan error)
	go func() {
		n, err := io.Copy(dst, src)
		size <- n
		errs <- err // want "LS001"
	}()
	if !ready() {
		return 0, errors.New("not ready")
	}
	return <-size, <-errs
}

// Leaks at both sends: an early return strands the first; a select takes whichever value
// comes, and returns with it alone.
func copyEither(dst io.Writer, src io.Reader, ready func() bool) (int64, error) {
	size := make(chan int64)
	errs := make(chan error)
	go func() {
		n, err := io.Copy(dst, src)
		size <- n   // want "LS001"
		errs <- err // want "LS001"
	}()
	if !ready() {
		return 0, errors.New("not ready")
	}
	select {
	case n := <-size:
		return n, nil
	case err := <-errs:
		return 0, err
	}
}

// Leaks on errs too: the function takes one error of the two the goroutine sends (the check
// names the first send on the channel).
func copyAndClose(dst io.WriteCloser, src io.Reader, ready func() bool) (int64, error) {
	size := make(chan int64)
	errs := make(chan error)
	go func() {
		n, err := io.Copy(dst, src)
		size <- n   // want "LS001"
		errs <- err // want "LS001"
		errs <- dst.Close()
	}()
	if !ready() {
		return 0, errors.New("not ready")
	}
	return <-size, <-errs
}

// Leaks at both sends: a call between the two receives may panic, and a recovering caller (a
// net/http handler) goes on with the goroutine blocked on errs.
func copyChecked(dst io.Writer, src io.Reader, ready func() bool, check func(int64) int64) (int64, int64, error) {
	size := make(chan int64)
	errs := make(chan error)
	go func() {
		n, err := io.Copy(dst, src)
		size <- n   // want "LS001"
		errs <- err // want "LS001"
	}()
	if !ready() {
		return 0, 0, errors.New("not ready")
	}
	return <-size, check(0), <-errs
}
