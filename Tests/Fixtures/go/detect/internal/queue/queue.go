// Package queue is a small library-like helper: a channel behind methods, so goroutines that
// block in it show the helper's frames above the application's own.
package queue

// Queue hands values from producers to one consumer.
type Queue struct{ c chan int }

// New returns a queue with no buffer.
func New() *Queue { return &Queue{c: make(chan int)} }

// Push blocks until the consumer takes v.
func (q *Queue) Push(v int) { q.c <- v }

// Pop blocks until a producer pushes.
func (q *Queue) Pop() int { return <-q.c }
