// A synctest bubble (Go 1.25+) dumped from inside: its goroutines' headers carry
// "(durable)" marks and ", synctest bubble N". The test writes runtime.Stack to $DUMP.
package bubble

import (
	"os"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

const receivers = 3 // goroutines blocked in "chan receive (durable)"

func TestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ch := make(chan int)
		var mu sync.Mutex
		cond := sync.NewCond(&mu)
		for i := 0; i < receivers; i++ {
			go func() { <-ch }()
		}
		go func() { time.Sleep(time.Hour) }()               // "sleep" + " (durable)" mark
		go func() { mu.Lock(); cond.Wait(); mu.Unlock() }() // "sync.Cond.Wait" + mark
		synctest.Wait()
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		if err := os.WriteFile(os.Getenv("DUMP"), buf[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		close(ch)
		mu.Lock()
		cond.Broadcast()
		mu.Unlock()
		time.Sleep(2 * time.Hour) // lets the sleeper finish in the bubble's fake time
	})
}
