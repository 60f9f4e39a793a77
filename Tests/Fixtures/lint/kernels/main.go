// Leak kernels for leakscope lint: every leaking shape is marked with the check that must
// report it on that line (// want "LS00N"); every fixed twin must stay silent.
package main

func main() {
	_ = abandonedOnTimeout
}
