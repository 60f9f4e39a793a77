package main

import (
	"net/http"
	"time"
)

// A poller in the style of Gomega: Eventually(f).Should(m) retries f until m matches.
type matcher func(error) bool

type poll struct{ f func() error }

func Eventually(f func() error, timeout ...time.Duration) poll { return poll{f} }

func (p poll) WithPolling(time.Duration) poll { return p }

func (p poll) Should(m matcher) bool {
	for i := 0; i < 10; i++ {
		if m(p.f()) {
			return true
		}
	}
	return false
}

func (p poll) ShouldNot(m matcher) bool { return p.Should(func(err error) bool { return !m(err) }) }

func Succeed() matcher { return func(err error) bool { return err == nil } }

func BeNil() matcher { return func(err error) bool { return err == nil } }

// Consistently(f).Should(m) checks that m matches every try of f for a while.
func Consistently(f func() error, timeout ...time.Duration) poll { return poll{f} }

func eventually(f func() bool, wait time.Duration) bool {
	for deadline := time.Now().Add(wait); time.Now().Before(deadline); {
		if f() {
			return true
		}
	}
	return false
}

// Fine: polled until the stopped server refuses; a failed request has no body.
func waitDown(url string) bool {
	var err error
	return Eventually(func() error {
		_, err = http.Get(url)
		return err
	}, 10*time.Second).WithPolling(time.Second).ShouldNot(Succeed())
}

// Fine: the same wait, written as a literal that reports success when the request fails.
func waitRefused(url string) bool {
	return eventually(func() bool {
		_, err := http.Get(url)
		return err != nil
	}, time.Minute)
}

// Leaks: polled until the server answers; every answer is thrown away with its body.
func waitUp(url string) bool {
	return Eventually(func() error {
		_, err := http.Get(url) // want "LS004"
		return err
	}).Should(Succeed())
}

// Fine: every try must fail (the debug port is closed); a failed request has no body.
func debugPortClosed(url string) bool {
	return Consistently(func() error {
		_, err := http.Get(url)
		return err
	}, 5*time.Second).ShouldNot(BeNil())
}

// Leaks: every try must succeed, and each answer is thrown away with its body.
func debugPortOpen(url string) bool {
	return Consistently(func() error {
		_, err := http.Get(url) // want "LS004"
		return err
	}).Should(BeNil())
}
