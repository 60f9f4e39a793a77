package main

import (
	"net/http"
	"sync"
	"time"
)

var startReporting sync.Once

var stopReporting = make(chan struct{})

// Low: a package-level sync.Once runs the reporter once per process; its ticker outlives a
// stop, one per process (cadence's version metrics).
func startVersionReporter(report func()) {
	startReporting.Do(func() {
		go func() {
			t := time.NewTicker(time.Minute) // want "LS002" low
			for {
				select {
				case <-stopReporting:
					return
				case <-t.C:
					report()
				}
			}
		}()
	})
}

// reporter guards its start with a sync.Once of its own: once per reporter, not per process.
type reporter struct {
	once sync.Once
	stop chan struct{}
}

func newReporter() *reporter { return &reporter{stop: make(chan struct{})} }

// Leaks: every reporter made and stopped leaves a ticker behind.
func (r *reporter) start(report func()) {
	r.once.Do(func() {
		go func() {
			t := time.NewTicker(time.Minute) // want "LS002"
			for {
				select {
				case <-r.stop:
					return
				case <-t.C:
					report()
				}
			}
		}()
	})
}

var registerStatus sync.Once

// Leaks: the handler is registered once, but it runs on every request, each leaving a ticker.
func registerStatusPage(report func()) {
	registerStatus.Do(func() {
		http.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
			t := time.NewTicker(time.Second) // want "LS002"
			for i := 0; i < 3; i++ {
				<-t.C
				report()
			}
		})
	})
}

var (
	settingsMu   sync.Mutex
	settingsOnce sync.Once
	settings     map[string]string
)

// Leaks: the Once is re-armed on every invalidation, so the Do runs again and again, each
// time leaving a ticker behind.
func setting(k string, refresh func()) string {
	settingsMu.Lock()
	defer settingsMu.Unlock()
	settingsOnce.Do(func() {
		settings = map[string]string{}
		t := time.NewTicker(time.Minute) // want "LS002"
		go func() {
			for i := 0; i < 10; i++ {
				<-t.C
				refresh()
			}
		}()
	})
	return settings[k]
}

func invalidateSettings() {
	settingsMu.Lock()
	defer settingsMu.Unlock()
	settingsOnce = sync.Once{}
}

// Low: main calls it once (startOnce) and its goroutine is started once per call: the ticker
// the goroutine makes outlives the stop, one per process.
func printMemoryEvery(stop chan struct{}, interval time.Duration, print func()) {
	go func() {
		t := time.NewTicker(interval) // want "LS002" low
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				print()
			}
		}
	}()
}

// Leaks: the same goroutine per watched file, each leaving its ticker when stopped.
func printEachEvery(stop chan struct{}, files []string, interval time.Duration, print func(string)) {
	for _, f := range files {
		go func() {
			t := time.NewTicker(interval) // want "LS002"
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					print(f)
				}
			}
		}()
	}
}

// Leaks: the literal in the loop's post statement runs on every turn, each starting a poller.
func pollEveryTurn(n int, stop chan struct{}) {
	for i := 0; i < n; func() {
		i++
		go func() {
			t := time.NewTicker(time.Second) // want "LS002"
			for {
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
	}() {
	}
}

// Leaks: rewatch's goto loop calls it again after every stop.
func watchAgain(stop chan struct{}) {
	go func() {
		t := time.NewTicker(time.Second) // want "LS002"
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
}

func rewatch(stop chan struct{}) {
again:
	watchAgain(stop)
	<-stop
	goto again
}

// Leaks: redialFeed, called when the feed stops, dials again: one more ticker per reconnect.
func dialFeed(stop chan struct{}) {
	go func() {
		t := time.NewTicker(time.Second) // want "LS002"
		for range t.C {
			if feedDown(stop) {
				break
			}
		}
		redialFeed(stop)
	}()
}

func feedDown(stop chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

func redialFeed(stop chan struct{}) { dialFeed(stop) }

// memTable refreshes an in-memory copy of a store until it is stopped.
type memTable struct {
	quit            chan struct{}
	reloadFromStore func() error
}

// Low: startOnce calls it once, and the one goroutine that uses the ticker ends only when the
// table's quit channel fires, which only its stop method sends on: one ticker outlives the stop,
// one per process (BricksLLM's memdb `Listen`).
func (m *memTable) listen() {
	t := time.NewTicker(time.Minute) // want "LS002" low
	go func() {
		for {
			select {
			case <-m.quit:
				return
			case <-t.C:
				_ = m.reloadFromStore()
			}
		}
	}()
}

// Leaks: the goroutine also gives up when a refresh fails, long before any stop, and the
// ticker runs on for the rest of the process.
func (m *memTable) listenUntilFailure() {
	t := time.NewTicker(time.Minute) // want "LS002"
	go func() {
		for {
			select {
			case <-m.quit:
				return
			case <-t.C:
				if err := m.reloadFromStore(); err != nil {
					return
				}
			}
		}
	}()
}

// Leaks: the goroutine stops on a channel it was handed by the function, which closes it on
// its own schedule (after one refresh): not a stop of the table.
func (m *memTable) listenOnce() {
	t := time.NewTicker(time.Minute) // want "LS002"
	first := make(chan struct{})
	go func() {
		for {
			select {
			case <-first:
				return
			case <-t.C:
				_ = m.reloadFromStore()
			}
		}
	}()
	go func() {
		_ = m.reloadFromStore()
		close(first)
	}()
}

// Leaks: every reload starts another table, each leaving its ticker once it is stopped.
func (m *memTable) listenPerReload() {
	t := time.NewTicker(time.Minute) // want "LS002"
	go func() {
		for {
			select {
			case <-m.quit:
				return
			case <-t.C:
				_ = m.reloadFromStore()
			}
		}
	}()
}

// stop ends the table's refreshing: the only send on quit.
func (m *memTable) stop() { m.quit <- struct{}{} }

// drainedTable refreshes until its feed of work runs dry.
type drainedTable struct {
	feed chan struct{}
}

// finish closes the feed when the work is done: not a stop of the table.
func (d *drainedTable) finish() { close(d.feed) }

// Leaks: the goroutine gives up when the feed is closed, which finish does once the work is
// done, long before the process stops, and the ticker runs on.
func (d *drainedTable) listenUntilDrained(refresh func() error) {
	t := time.NewTicker(time.Minute) // want "LS002"
	go func() {
		for {
			select {
			case <-d.feed:
				return
			case <-t.C:
				_ = refresh()
			}
		}
	}()
}

func reloadTables(tables []*memTable) {
	for _, m := range tables {
		m.listenPerReload()
	}
}

// startTables is what startOnce does for the tables: each once.
func startTables() {
	m := &memTable{quit: make(chan struct{}), reloadFromStore: func() error { return nil }}
	m.listen()
	m.listenUntilFailure()
	m.listenOnce()
	reloadTables([]*memTable{m})
	m.stop()
	d := &drainedTable{feed: make(chan struct{})}
	d.listenUntilDrained(func() error { return nil })
	d.finish()
}
