package main

import "net/http"

type pipeline struct {
	events chan string
	done   bool
}

// Stop ends the pipeline but forgets its events channel.
func (p *pipeline) Stop() { p.done = true }

// Leaks: nothing closes jobs, so the consumer never leaves its range.
func consume(items []int, use func(int)) {
	jobs := make(chan int)
	go func() {
		for _, v := range items {
			jobs <- v
		}
	}()
	for v := range jobs { // want "LS008" low
		use(v)
	}
}

// Leaks: an unexported field channel nobody in the package closes, not even Stop.
func (p *pipeline) drain(use func(string)) {
	for e := range p.events { // want "LS008" low
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

// relay forwards what arrives on inbound; the channel is the caller's.
type relay struct {
	inbound <-chan int
	forward chan int
}

// Fixed: inbound is handed in by the caller (a parameter), who owns and closes it.
func newRelay(inbound <-chan int) *relay { return &relay{inbound: inbound} }

func (r *relay) run(use func(int)) {
	for v := range r.inbound {
		use(v)
	}
}

// Leaks, with low confidence: forward is made here and nothing in the package closes it, but
// relay has no Close or Stop either, so its goroutine lives as long as the relay by design
// (often a process-wide worker made once).
func newForwarder() *relay { return &relay{forward: make(chan int)} }

func (r *relay) drainForward(use func(int)) {
	for v := range r.forward { // want "LS008" low
		use(v)
	}
}

// beatHandler gets heartbeats from a client library; Stop forgets its channel.
type beatHandler struct {
	beats   chan int
	stopped bool
}

func (h *beatHandler) Stop() { h.stopped = true }

// Fine: the command never returns (it ends in select {}), so the goroutine it starts lives exactly
// as long as the process that runs it.
func serveForever(register func(*beatHandler), use func(int)) {
	h := &beatHandler{beats: make(chan int, 1)}
	go func() {
		for b := range h.beats {
			use(b)
		}
	}()
	register(h)
	select {}
}

// mailbox is generic and has no Close or Stop: its goroutine lives as long as the mailbox.
type mailbox[T any] struct{ inbox chan T }

// Leaks, with low confidence, as drainForward: the generic receiver names the same type.
func (m *mailbox[T]) deliver(use func(T)) {
	for v := range m.inbox { // want "LS008" low
		use(v)
	}
}

// Leaks, with low confidence: a local of the instantiated type, ranged in a goroutine.
func newMailbox[T any](use func(T)) *mailbox[T] {
	m := &mailbox[T]{inbox: make(chan T, 1)}
	go func() {
		for v := range m.inbox { // want "LS008" low
			use(v)
		}
	}()
	return m
}

// source stands for another package's watcher (fsnotify's): its Events channel is closed by
// its own Close, in its own package.
type source struct {
	Events chan string
}

// mirror ranges over a channel another value owns.
type mirror struct {
	incoming chan string
	stopped  bool
}

func (m *mirror) Close() { m.stopped = true }

// Fine: incoming is another value's channel (`incoming: src.Events`), which its owner closes.
func newMirror(src *source) *mirror { return &mirror{incoming: src.Events} }

func (m *mirror) run(use func(string)) {
	for s := range m.incoming {
		use(s)
	}
}

// dispatcher has a channel field named like a column of the table below.
type dispatcher struct {
	backlog chan string
}

func (d *dispatcher) push(s string) { d.backlog <- s }

// Fine: tt.backlog is the table's slice, not dispatcher's channel of the same name (in a
// closure, as under t.Run, where the closure's own types do not say what tt is).
func replayQueue(use func(string)) {
	tests := []struct{ backlog []string }{{backlog: []string{"a", "b"}}}
	for _, tt := range tests {
		func() {
			for _, s := range tt.backlog {
				use(s)
			}
		}()
	}
}

// hub and worker: the worker's channel is the hub's own field, made here and never closed.
type hub struct {
	pending chan string
}

type worker struct {
	inflow  chan string
	stopped bool
}

func (w *worker) Stop() { w.stopped = true }

func newHub() *hub { return &hub{pending: make(chan string)} }

// Leaks: inflow is a field of this package's hub (lower-case), not another package's channel.
func (h *hub) newWorker() *worker { return &worker{inflow: h.pending} }

func (w *worker) run(use func(string)) {
	for s := range w.inflow { // want "LS008" low
		use(s)
	}
}

// A test-style table with a column named like a channel field.
func tallyJobs() int {
	cases := []struct{ chores []string }{{chores: []string{"a"}}}
	return len(cases)
}

type crew struct {
	chores  chan string
	stopped bool
}

func (c *crew) Stop() { c.stopped = true }

// Leaks: c is a typed local, so c.chores is crew's channel whatever the table above says.
func startCrew(use func(string)) *crew {
	c := &crew{chores: make(chan string)}
	go func() {
		for s := range c.chores { // want "LS008" low
			use(s)
		}
	}()
	return c
}

// findPeers starts a discovery whose finder owns and closes its channel when the search ends.
func findPeers(names []string) (<-chan string, error) {
	found := make(chan string)
	go func() {
		defer close(found)
		for _, n := range names {
			found <- n
		}
	}()
	return found, nil
}

// tunnel ranges over what discovery found.
type tunnel struct {
	discovered <-chan string
	queued     chan string
}

// Fixed: the channel comes from findPeers through a local set only from its result: the
// callee made it and closes it (edgemesh's discovery channels).
func newTunnel(names []string) (*tunnel, error) {
	discovered, err := findPeers(names)
	if err != nil {
		return nil, err
	}
	t := &tunnel{discovered: discovered, queued: make(chan string)}
	go t.runDiscovery()
	return t, nil
}

func (t *tunnel) runDiscovery() {
	for p := range t.discovered {
		println(p)
	}
}

// Leaks: the queued channel is made here, stored, and nothing closes it.
func (t *tunnel) runQueued() {
	for p := range t.queued { // want "LS008" low
		println(p)
	}
}

// Close stops the tunnel (but never closes queued).
func (t *tunnel) Close() {}

// meter counts the bytes its parcels hold; releaseBytes is bookkeeping, not a way to stop it.
type meter struct {
	parcels chan []byte
	held    int
}

func (m *meter) releaseBytes(n int) { m.held -= n }

// Leaks, with low confidence, as drainForward: meter has no method that ends it (a method named
// like one but taking a byte count does not count; ai-agent-runtime's event bridge).
func (m *meter) drain(handle func([]byte)) {
	for b := range m.parcels { // want "LS008" low
		handle(b)
		m.releaseBytes(len(b))
	}
}

func newMeter() *meter { return &meter{parcels: make(chan []byte, 8)} }

type mirrorReport struct {
	reports chan []string
	stopped bool
}

// Close stops the reporter but forgets its reports channel.
func (m *mirrorReport) Close() { m.stopped = true }

// Low: main calls it once (startOnce), and the goroutine ranging over reports is started
// once per call, outside loops: one goroutine waits for the process's life (lastore's
// smart-mirror daemon).
func newMirrorReporter(use func(string)) *mirrorReport {
	m := &mirrorReport{reports: make(chan []string)}
	go func() {
		for batch := range m.reports { // want "LS008" low
			for _, r := range batch {
				use(r)
			}
		}
	}()
	return m
}

// Leaks: the same goroutine started per source, a loop main runs once.
func newMirrorReporters(sources []string, use func(string)) []*mirrorReport {
	var all []*mirrorReport
	for range sources {
		m := &mirrorReport{reports: make(chan []string)}
		go func() {
			for batch := range m.reports { // want "LS008" low
				for _, r := range batch {
					use(r)
				}
			}
		}()
		all = append(all, m)
	}
	return all
}

// Leaks: the literal is handed to a scheduler that may run it any number of times.
func newMirrorReporterLater(schedule func(func()), use func(string)) *mirrorReport {
	m := &mirrorReport{reports: make(chan []string)}
	schedule(func() {
		for batch := range m.reports { // want "LS008" low
			for _, r := range batch {
				use(r)
			}
		}
	})
	return m
}

// Leaks: called for every request, so every call leaves a goroutine ranging forever.
func newMirrorReporterPerRequest(use func(string)) *mirrorReport {
	m := &mirrorReport{reports: make(chan []string)}
	go func() {
		for batch := range m.reports { // want "LS008" low
			for _, r := range batch {
				use(r)
			}
		}
	}()
	return m
}

func serveMirrorReports(use func(string)) {
	http.HandleFunc("/mirror", func(w http.ResponseWriter, r *http.Request) {
		newMirrorReporterPerRequest(use)
	})
}
