// Leak kernels for leakscope lint: every leaking shape is marked with the check that must
// report it on that line (a "want" comment naming the check); every fixed twin must stay silent.
package main

import (
	"net/http"
	"os"
)

func main() {
	_ = abandonedOnTimeout
	startOnce() // ls001_once.go: functions that run once per process
	// Silent: one response of main.main, held only until the process exits.
	resp, err := http.Get(os.Getenv("KERNEL_PROBE_URL"))
	if err == nil {
		println(resp.StatusCode)
	}
	// Leaks: one response per turn, each holding its connection while main runs on.
	for _, u := range os.Args[1:] {
		resp, err := http.Get(u) // want "LS004"
		if err == nil {
			println(resp.StatusCode)
		}
	}
	if err := run(); err != nil { // ls001_exit.go: returning from run ends the process
		panic(err)
	}
}
