// Leak kernels for leakscope lint: every leaking shape is marked with the check that must
// report it on that line (a "want" comment naming the check); every fixed twin must stay silent.
package main

func main() {
	_ = abandonedOnTimeout
	if err := run(); err != nil { // ls001_exit.go: returning from run ends the process
		panic(err)
	}
}
