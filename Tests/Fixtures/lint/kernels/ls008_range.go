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

type feed struct {
	lines chan string
}

// stream owns the channel it returns and closes it when the input ends.
func stream(input []string) chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		for _, s := range input {
			ch <- s
		}
	}()
	return ch
}

// Fine: the field holds a channel made and closed by stream.
func newFeed(input []string) *feed { return &feed{lines: stream(input)} }

func (f *feed) drain(use func(string)) {
	for s := range f.lines {
		use(s)
	}
}
