// Package lifecycle holds the kernels' process-wide exit signal, closed once as the process stops.
package lifecycle

// Exit is closed when the process begins to stop.
var Exit = make(chan struct{})
