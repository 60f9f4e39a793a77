package clean

import (
	"testing"
	"time"
)

func TestSquares(t *testing.T) {
	if got := Squares(10); got[9] != 81 {
		t.Fatalf("Squares(10)[9] = %d", got[9])
	}
}

// A goroutine that is still finishing when the test returns: the gate waits for it, no leak.
func TestLateFinisher(t *testing.T) {
	go func() { time.Sleep(30 * time.Millisecond) }()
}
