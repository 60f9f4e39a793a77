// Package ownmain has its own TestMain, which the gate cannot replace.
package ownmain

// Double doubles.
func Double(x int) int { return 2 * x }
