package main

type pipeline struct {
	events chan string
}

// Leaks: nothing closes jobs, so the consumer never leaves its range.
func consume(items []int, use func(int)) {
	jobs := make(chan int)
	go func() {
		for _, v := range items {
			jobs <- v
		}
	}()
	for v := range jobs { // want "LS008"
		use(v)
	}
}

// Leaks: an unexported field channel nobody in the package closes.
func (p *pipeline) drain(use func(string)) {
	for e := range p.events { // want "LS008"
		use(e)
	}
}

// Fixed: the producer closes.
func consumeClosed(items []int, use func(int)) {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, v := range items {
			out <- v
		}
	}()
	for v := range out {
		use(v)
	}
}
