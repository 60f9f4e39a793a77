package main

import (
	"fmt"
	"net/http"
)

// BeforeSuite stands for Ginkgo's: it runs body once per test process, before the specs.
func BeforeSuite(body func()) bool { body(); return true }

// BeforeEach stands for Ginkgo's: it runs body before every spec.
func BeforeEach(body func()) bool { body(); return true }

var registryURL = "http://127.0.0.1:5000/"

// Low: the suite's setup runs once per test process, so its readiness probe holds one response
// for the process, not one per spec.
var _ = BeforeSuite(func() {
	Eventually(func() error {
		res, err := http.Get(registryURL) // want "LS004" low
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("registry answered %d", res.StatusCode)
		}
		return nil
	}).Should(Succeed())
})

// Leaks: the same probe before every spec holds one response per spec.
var _ = BeforeEach(func() {
	Eventually(func() error {
		res, err := http.Get(registryURL + "v2/") // want "LS004"
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("registry answered %d", res.StatusCode)
		}
		return nil
	}).Should(Succeed())
})

// AfterSuite stands for Ginkgo's: it runs body once per test process, after the specs.
func AfterSuite(body func()) bool { body(); return true }

// AfterEach stands for Ginkgo's: it runs body after every spec.
func AfterEach(body func()) bool { body(); return true }

// Low: the suite's teardown runs once, as the test process ends (mappers-go's clean-up DELETE).
var _ = AfterSuite(func() {
	req, _ := http.NewRequest(http.MethodDelete, registryURL+"v2/test", nil)
	res, err := http.DefaultClient.Do(req) // want "LS004" low
	if err != nil || res.StatusCode != http.StatusOK {
		fmt.Println("clean-up failed")
	}
})

// Leaks: the same clean-up after every spec holds one response per spec.
var _ = AfterEach(func() {
	req, _ := http.NewRequest(http.MethodDelete, registryURL+"v2/spec", nil)
	res, err := http.DefaultClient.Do(req) // want "LS004"
	if err != nil || res.StatusCode != http.StatusOK {
		fmt.Println("clean-up failed")
	}
})

// AfterAll stands for Ginkgo's: it runs body once, after the specs of its ordered container.
func AfterAll(body func()) bool { body(); return true }

// Describe stands for Ginkgo's container.
func Describe(text string, body func()) bool { body(); return true }

// Leaks: one ordered container per endpoint, each with its own AfterAll: a response per
// endpoint, not one per process.
var _ = Describe("endpoints", func() {
	for _, u := range []string{registryURL + "a", registryURL + "b"} {
		Describe(u, func() {
			AfterAll(func() {
				res, err := http.Get(u + "/cleanup") // want "LS004"
				if err != nil || res.StatusCode != http.StatusOK {
					fmt.Println("clean-up failed")
				}
			})
		})
	}
})
