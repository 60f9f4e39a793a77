package main

import (
	"log"
	"net/http"
	"os"
	"testing"
	"time"

	"example.com/kernels/lifecycle"
)

// Leaks: the ticker is never stopped.
func pollForever(stop <-chan struct{}, poll func()) {
	t := time.NewTicker(time.Second) // want "LS002"
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			poll()
		}
	}
}

// Leaks: the ticker behind .C cannot be stopped at all.
func pollInline(stop <-chan struct{}, poll func()) {
	c := time.NewTicker(time.Second).C // want "LS002"
	for {
		select {
		case <-stop:
			return
		case <-c:
			poll()
		}
	}
}

// Fixed.
func pollStopped(stop <-chan struct{}, poll func()) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			poll()
		}
	}
}

// Fixed: the caller owns the ticker.
func newPoller() *time.Ticker {
	t := time.NewTicker(time.Second)
	return t
}

// Not a leak: a cleaner for the life of the process. The range over t.C never ends, so a Stop
// after it could never run.
func cleanForever(clean func()) {
	t := time.NewTicker(time.Minute)
	for range t.C {
		clean()
	}
}

// Not a leak: the same with an endless for and no return.
func pollUntilExit(poll func()) {
	t := time.NewTicker(time.Second)
	for {
		<-t.C
		poll()
	}
}

// Leaks: the range can end early (break), and the ticker is never stopped.
func cleanUntilEmpty(clean func() bool) {
	t := time.NewTicker(time.Minute) // want "LS002"
	for range t.C {
		if !clean() {
			break
		}
	}
}

// Leaks: the loop never ends, but it makes a ticker per turn and never stops one.
func pollEachTurn(poll func()) {
	for {
		t := time.NewTicker(time.Second) // want "LS002"
		<-t.C
		poll()
	}
}

type pacedFeed struct{ C chan int }

// Leaks: ranging over a feed's C can end (its sender may close it), and the ticker is never stopped.
func paceFeed(f *pacedFeed, handle func(int)) {
	t := time.NewTicker(time.Second) // want "LS002"
	for v := range f.C {
		<-t.C
		handle(v)
	}
}

// Low: only a goroutine that never returns uses the ticker; both last as long as the process.
func startKeyRenewal() {
	renew := time.NewTicker(time.Hour) // want "LS002" low
	go func() {
		for {
			select {
			case <-renew.C:
				println("renew keys")
			}
		}
	}()
}

// Leaks: the goroutine returns when done is closed, and nothing stops the ticker then.
func startKeyRenewalUntil(done chan struct{}) {
	renewal := time.NewTicker(time.Hour) // want "LS002"
	go func() {
		for {
			select {
			case <-renewal.C:
				println("renew keys")
			case <-done:
				return
			}
		}
	}()
}

// Low: the same with a goroutine that ranges over the ticker's channel for ever.
func startMetricsPush(push func() error) {
	every := time.NewTicker(15 * time.Second) // want "LS002" low
	go func() {
		for range every.C {
			_ = push()
		}
	}()
}

// Leaks: this goroutine gives up after a failed push, and the ticker outlives it.
func startMetricsPushUntilFailure(push func() error) {
	each := time.NewTicker(15 * time.Second) // want "LS002"
	go func() {
		for range each.C {
			if push() != nil {
				return
			}
		}
	}()
}

// Leaks: a push that panics ends the goroutine through its deferred recover; the ticker stays.
func startMetricsPushRecovering(push func() error) {
	tick := time.NewTicker(15 * time.Second) // want "LS002"
	go func() {
		defer func() { _ = recover() }()
		for range tick.C {
			_ = push()
		}
	}()
}

// Not a leak: a cleaner for the life of the process that keeps only the ticker's channel; the
// range never ends, so no Stop could ever run.
func cleanThroughChannel(clean func()) {
	tick := time.NewTicker(time.Minute).C
	for range tick {
		clean()
	}
}

// Leaks: the same channel, but the range can end (break) and leave the ticker running.
func cleanThroughChannelUntilEmpty(clean func() bool) {
	tick := time.NewTicker(time.Minute).C // want "LS002"
	for range tick {
		if !clean() {
			break
		}
	}
}

// Leaks: startOnce (ls001_once.go), run once by main, makes this ticker outside loops, but the
// loop returns on its own while the process goes on: the one ticker keeps firing for nothing for
// the rest of the process (a once-run worker whose loop ends only on a stop signal, printMemoryEvery
// in ls002_once.go, is low).
func showProgressOnce(done func() bool) {
	progress := time.NewTicker(200 * time.Millisecond) // want "LS002"
	for range progress.C {
		if done() {
			return
		}
	}
}

// Leaks: the same function run once, but it makes a ticker on every turn of its loop.
func showProgressPerTurn(done func() bool) {
	for !done() {
		progress := time.NewTicker(200 * time.Millisecond) // want "LS002"
		<-progress.C
	}
}

// Low: the loop ends only when the process-wide exit signal fires, so the ticker lives as long
// as the process.
func refreshUntilExit(refresh func()) {
	t := time.NewTicker(time.Minute) // want "LS002" low
	for {
		select {
		case <-lifecycle.Exit:
			return
		case <-t.C:
			refresh()
		}
	}
}

// Leaks: the same loop also ends on its own stop channel, once per stop.
func refreshUntilStopped(stop <-chan struct{}, refresh func()) {
	t := time.NewTicker(time.Minute) // want "LS002"
	for {
		select {
		case <-lifecycle.Exit:
			return
		case <-stop:
			return
		case <-t.C:
			refresh()
		}
	}
}

// Low: the reporter receives from the ticker with comma-ok, but a ticker's channel is never
// closed: the goroutine never ends, and the ticker lives as long as it (servicecomb-kie).
func startReporter(report func()) {
	reportTicker := time.NewTicker(5 * time.Second) // want "LS002" low
	go func() {
		for {
			_, ok := <-reportTicker.C
			if !ok {
				return
			}
			report()
		}
	}()
}

// Leaks: the same reporter stops when a report fails, and nothing stops its ticker.
func startFallibleReporter(report func() error) {
	reportTicker := time.NewTicker(5 * time.Second) // want "LS002"
	go func() {
		for {
			_, ok := <-reportTicker.C
			if !ok {
				return
			}
			if err := report(); err != nil {
				return
			}
		}
	}()
}

// Leaks: the same reporter per accepted connection, one more endless goroutine and ticker each.
func reportPerConnection(accept func() (func(), error)) {
	for {
		report, err := accept()
		if err != nil {
			return
		}
		t := time.NewTicker(30 * time.Second) // want "LS002"
		go func() {
			for {
				_, ok := <-t.C
				if !ok {
					return
				}
				report()
			}
		}()
	}
}

// Not a leak: the range over t.C never ends, so the wait for stop after it is never reached and
// the ticker lives as long as the goroutine, for the life of the process (polaris-controller's
// metric tracker).
func countForeverThenWait(stop <-chan struct{}, count func()) {
	t := time.NewTicker(30 * time.Second)
	for range t.C {
		count()
	}
	<-stop
}

// Leaks: the same, but a return before the range leaves the ticker running.
func countForeverUnlessOff(stop <-chan struct{}, count func(), off bool) {
	t := time.NewTicker(30 * time.Second) // want "LS002"
	if off {
		return
	}
	for range t.C {
		count()
	}
	<-stop
}

// Leaks: a panic before the range ends the call (a caller may recover) with the ticker running.
func countForeverUnlessUnset(stop <-chan struct{}, count func(), interval time.Duration) {
	t := time.NewTicker(30 * time.Second) // want "LS002"
	if interval == 0 {
		panic("no interval")
	}
	for range t.C {
		count()
	}
	<-stop
}

// Leaks: a server-sent-events handler whose loop panics (mustWrite) when the client leaves; the
// server recovers the panic, so the statement after the loop is no proof the call never returns.
func streamTicks(w http.ResponseWriter, r *http.Request) {
	t := time.NewTicker(time.Second) // want "LS002"
	for range t.C {
		mustWrite(w, "tick\n")
	}
	log.Printf("%s left", r.RemoteAddr)
}

func mustWrite(w http.ResponseWriter, s string) {
	if _, err := w.Write([]byte(s)); err != nil {
		panic(http.ErrAbortHandler)
	}
}

// Leaks: a deferred recover lets a panic in the loop end the call, with the ticker running.
func pollRecovering(poll func(), done func()) {
	defer func() { _ = recover() }()
	t := time.NewTicker(time.Minute) // want "LS002"
	for range t.C {
		poll()
	}
	done()
}

// Silent: the only return comes before the ticker is made; from there the range never ends, so
// the ticker lives as long as the goroutine, by design (veneur's per-tag token refresher).
func refreshTokensIfEnabled(enabled bool, refresh func()) {
	if !enabled {
		return
	}
	t := time.NewTicker(time.Minute)
	for range t.C {
		refresh()
	}
}

// Leaks: the ticker is made before the early return, which leaves it running.
func refreshTokensUnlessDisabled(disabled func() bool, refresh func()) {
	t := time.NewTicker(time.Minute) // want "LS002"
	if disabled() {
		return
	}
	for range t.C {
		refresh()
	}
}

// Leaks: the goto jumps past the endless loop, so the ticker made after it runs and is left.
func refreshTokensOrSkip(skip bool, refresh func()) {
	if skip {
		goto done
	}
	for range time.NewTicker(time.Minute).C { // want "LS002"
		refresh()
	}
done:
	println("skipped")
	t := time.NewTicker(time.Second) // want "LS002"
	<-t.C
}

// Leaks: a panic between the ticker and the loop, recovered by a caller, leaves the ticker running.
func refreshTokensChecked(enabled bool, check func() error, refresh func()) {
	if !enabled {
		return
	}
	t := time.NewTicker(time.Minute) // want "LS002"
	func() {
		if err := check(); err != nil {
			panic(err)
		}
	}()
	for range t.C {
		refresh()
	}
}

// Silent: a heartbeat that is off unless configured; once on, its endless loop uses the ticker
// for as long as it runs, which is for good.
func startHeartbeat(interval time.Duration, beat func()) {
	go func() {
		if interval == 0 {
			return
		}
		t := time.NewTicker(interval)
		for {
			<-t.C
			beat()
		}
	}()
}

// Leaks: the same heartbeat stops when a beat fails, and returns with the ticker running.
func startHeartbeatUntil(interval time.Duration, beat func() bool) {
	go func() {
		if interval == 0 {
			return
		}
		t := time.NewTicker(interval) // want "LS002"
		for {
			<-t.C
			if !beat() {
				return
			}
		}
	}()
}

// Silent: the profiler's only way out of its loop is log.Fatal, which ends the process with the
// ticker (a panic before the ticker is made leaves none behind).
func profileMemoryEvery(dir string, d time.Duration) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		panic(err)
	}
	t := time.NewTicker(d)
	for range t.C {
		f, err := os.Create(dir + "/mem.pprof")
		if err != nil {
			log.Fatal(err)
		}
		f.Close()
	}
}

// Leaks: the same profiler returns when a file cannot be made, with the ticker running.
func profileMemoryUntilFull(dir string, d time.Duration) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		panic(err)
	}
	t := time.NewTicker(d) // want "LS002"
	for range t.C {
		f, err := os.Create(dir + "/mem.pprof")
		if err != nil {
			return
		}
		f.Close()
	}
}

// Leaks: log here is the test's, whose Fatal ends only the goroutine; the ticker keeps firing.
func pollUntilBroken(log testing.TB, d time.Duration, healthy func() bool) {
	if d == 0 {
		return
	}
	t := time.NewTicker(d) // want "LS002"
	for {
		<-t.C
		if !healthy() {
			log.Fatal("unhealthy")
		}
	}
}

type discoveryProber struct {
	logger *log.Logger
	kinds  []string
}

// Silent: the prober's only way out of its loop is its standard logger's Fatal, which ends the
// process with the ticker.
func (p *discoveryProber) probeEvery(d time.Duration) {
	t := time.NewTicker(d)
	for {
		for _, kind := range p.kinds {
			if kind != "http" {
				p.logger.Fatal("unsupported probe " + kind)
			}
		}
		<-t.C
	}
}

type discoverySuite struct {
	t     testing.TB
	kinds []string
}

// Leaks: a suite's test handle in a field: its Fatal ends only the goroutine, the ticker keeps firing.
func (s *discoverySuite) probeEvery(d time.Duration) {
	t := time.NewTicker(d) // want "LS002"
	for {
		for _, kind := range s.kinds {
			if kind != "http" {
				s.t.Fatal("unsupported probe " + kind)
			}
		}
		<-t.C
	}
}

// discoveryLogger is a logger of the project's own, whose Fatal panics: nothing says it ends the
// process.
type discoveryLogger struct{}

func (l *discoveryLogger) Fatal(msg string) { panic(msg) }

type discoveryNotifier struct {
	journal *discoveryLogger
	kinds  []string
}

// Leaks: the logger's Fatal panics, and a supervisor that recovers starts the loop again, with
// one more ticker each time.
func (n *discoveryNotifier) probeEvery(d time.Duration) {
	t := time.NewTicker(d) // want "LS002"
	for {
		for _, kind := range n.kinds {
			if kind != "http" {
				n.journal.Fatal("unsupported probe " + kind)
			}
		}
		<-t.C
	}
}

func purgeExpiredRows() {}

// Silent: the job sleeps until its first run and never returns after that; its ticker is made
// after the last way out, and the sleep before it runs while no ticker exists.
func dailyPurge(enabled bool, untilFirst time.Duration) {
	if !enabled {
		return
	}
	time.Sleep(untilFirst)
	tick := time.NewTicker(24 * time.Hour).C
	for {
		go purgeExpiredRows()
		<-tick
	}
}

// Leaks: the ticker is made before a check that can still return.
func dailyPurgeChecked(enabled bool, untilFirst time.Duration) {
	tick := time.NewTicker(24 * time.Hour).C // want "LS002"
	time.Sleep(untilFirst)
	if !enabled {
		return
	}
	for {
		go purgeExpiredRows()
		<-tick
	}
}

func announceAgent() error { return nil }

// Silent: a first announcement, then one per tick for good; nothing between the ticker and the
// endless loop can return (the return before it leaves no ticker).
func announceForever(interval time.Duration) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	_ = announceAgent()
	for range t.C {
		_ = announceAgent()
	}
}

// Leaks: the first announcement's failure returns with the ticker made.
func announceUnlessRefused(interval time.Duration) {
	t := time.NewTicker(interval) // want "LS002"
	if err := announceAgent(); err != nil {
		return
	}
	for range t.C {
		_ = announceAgent()
	}
}

// A reconciler whose stop channel its constructor never makes (horizon's event handler,
// docs/LINT.md session 34): a receive from the nil channel never fires, so the loop never ends
// and its ticker is wanted for the process's life.
type idleReconciler struct {
	haltIdle chan bool
}

func newIdleReconciler() *idleReconciler { return &idleReconciler{} }

// Silent: nothing sets haltIdle, so the loop below can never return.
func (r *idleReconciler) run() {
	t := time.NewTicker(time.Minute)
	for {
		select {
		case <-r.haltIdle:
			return
		case <-t.C:
			log.Print("reconcile")
		}
	}
}

// The same reconciler with its stop channel made.
type stoppableReconciler struct {
	haltStoppable chan bool
}

func newStoppableReconciler() *stoppableReconciler {
	return &stoppableReconciler{haltStoppable: make(chan bool)}
}

// Leaks: a close of haltStoppable ends the loop, and the ticker is never stopped.
func (r *stoppableReconciler) run() {
	t := time.NewTicker(time.Minute) // want "LS002"
	for {
		select {
		case <-r.haltStoppable:
			return
		case <-t.C:
			log.Print("reconcile")
		}
	}
}

// Another type of the package makes a channel field of the same name: that says nothing of
// idleSweeper's, which nothing makes.
type idleSweeper struct {
	halt chan bool
}

type busySweeper struct {
	halt chan bool
}

func newBusySweeper() *busySweeper { return &busySweeper{halt: make(chan bool)} }

// Silent: idleSweeper's halt is never made.
func (w *idleSweeper) sweep() {
	t := time.NewTicker(time.Minute)
	for {
		select {
		case <-w.halt:
			return
		case <-t.C:
			log.Print("sweep")
		}
	}
}

// Leaks: busySweeper's halt is made, and closing it ends the loop.
func (w *busySweeper) sweep() {
	t := time.NewTicker(time.Minute) // want "LS002"
	for {
		select {
		case <-w.halt:
			return
		case <-t.C:
			log.Print("sweep")
		}
	}
}
