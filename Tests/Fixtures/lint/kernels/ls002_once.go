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
