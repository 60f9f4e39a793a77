package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"time"
)

func probeDisk() error {
	_, err := os.Stat(os.TempDir())
	return err
}

// Low: main calls it once, outside loops; one prober is stranded when it gives up.
func checkDiskAtStart() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001" low
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("disk check timed out")
	}
}

// Leaks: the same shape, called by main once and again from a function literal handed to a
// timer, which may run any number of times.
func checkDiskAgain() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("disk check timed out")
	}
}

// Leaks: called once per URL of main's loop.
func checkEachDisk() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("disk check timed out")
	}
}

// Low: one announcement per process, from main; a leaking twin announces per peer in a loop.
func announceStart(url string) {
	resp, err := http.Post(url, "text/plain", nil) // want "LS004" low
	if err != nil {
		return
	}
	println(resp.StatusCode)
	for _, peer := range os.Args[1:] {
		each, err := http.Post(peer, "text/plain", nil) // want "LS004"
		if err != nil {
			return
		}
		println(each.StatusCode)
	}
}

// subcommand is a command table's entry, run through an interface: dispatch finds the one asked
// for and returns what it returns, so each runs once per process.
type subcommand interface {
	Name() string
	Exec(args []string) int
}

type syncCommand struct{}

func (syncCommand) Name() string { return "sync" }

// Low: reached only through dispatch, which main calls once.
func (syncCommand) Exec(args []string) int {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001" low
	}()
	select {
	case err := <-done:
		if err != nil {
			return 1
		}
		return 0
	case <-time.After(time.Second):
		return 2
	}
}

// dispatch runs the sub-command named by args[0].
func dispatch(commands []subcommand, args []string) int {
	for _, c := range commands {
		if len(args) > 0 && c.Name() == args[0] {
			return c.Exec(args[1:])
		}
	}
	return 64
}

// startOnce is what main does before it serves: each is called exactly once from there.
func startOnce() {
	_ = checkDiskAtStart()
	_ = checkDiskAgain()
	time.AfterFunc(time.Hour, func() { _ = checkDiskAgain() })
	for range os.Args {
		_ = checkEachDisk()
	}
	announceStart(os.Getenv("KERNEL_ANNOUNCE_URL"))
	_ = dispatch([]subcommand{syncCommand{}}, os.Args[1:])
	_ = checkDiskLevels(3)
	_ = mountCommand{}.Mount()
	var u unmountCommand
	_ = u.Unmount()
	_ = retryAll([]func() error{u.Unmount})
	handedOnce() // ls001_handed.go: functions handed to others as values
	fetchReleaseTags(os.Getenv("KERNEL_TAGS_URL"))
	ctx := context.Background()
	d := newDiskDaemon()
	go d.Start(ctx)
	w := &diskWorker{}
	go w.Start(ctx)
	keepStarter(w)
	showProgressOnce(func() bool { return len(os.Args) > 3 })
	go pollConns(ctx, func() []*conn { return nil })
	opts := &scanOptions{dir: os.TempDir()}
	_ = opts.scan()
	newMirrorReporter(func(string) {})
	newMirrorReporters(os.Args, func(string) {})
	newMirrorReporterLater(func(f func()) { go f() }, func(string) {})
	serveMirrorReports(func(string) {})
	printMemoryEvery(make(chan struct{}), time.Second, func() {})
	startTables()
	startHelpers()
	printEachEvery(make(chan struct{}), os.Args, time.Second, func(string) {})
	pollEveryTurn(len(os.Args), make(chan struct{}))
	go rewatch(make(chan struct{}))
	dialFeed(make(chan struct{}))
	fetch := &fetchOptions{}
	_ = fetch.fetch()
	rescan(&rescanOptions{})
	refetch(func() *fetchOptions { return fetch })
	showProgressPerTurn(func() bool { return len(os.Args) > 3 })
	startGroups() // ls001_group.go: literals run by a group's Go, or under a package-level Once
}

// diskDaemon is made by its constructor and used only as a receiver: no interface value holds
// one, so its Start, though named like a method frameworks call through interfaces, runs only
// where this package calls it, once.
type diskDaemon struct{ patience time.Duration }

func newDiskDaemon() *diskDaemon { return &diskDaemon{patience: time.Second} }

// Low: started once by startOnce; one prober is stranded when it stops waiting.
func (d *diskDaemon) Start(ctx context.Context) error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001" low
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d.patience):
		return errors.New("disk check timed out")
	}
}

// diskWorker is started the same way, but a value of it is also handed on as an interface,
// through which anything may call Start again.
type diskWorker struct{}

// Leaks: the same shape on a type whose Start others may call.
func (w *diskWorker) Start(ctx context.Context) error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Second):
		return errors.New("disk check timed out")
	}
}

var starters []interface{ Start(context.Context) error }

func keepStarter(s interface{ Start(context.Context) error }) { starters = append(starters, s) }

// Low: once per process, a short retry holds at most three responses; the same request repeated
// per page, fifty times, holds fifty.
func fetchReleaseTags(url string) {
	for attempt := 0; attempt < 3; attempt++ {
		resp, err := http.Get(url) // want "LS004" low
		if err == nil && resp.StatusCode == http.StatusOK {
			break
		}
	}
	for page := 0; page < 50; page++ {
		resp, err := http.Get(url) // want "LS004"
		if err == nil && resp.StatusCode != http.StatusOK {
			return
		}
	}
}

// Leaks: main calls it once, but it calls itself once per level, stranding a prober each time.
func checkDiskLevels(levels int) error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		if err != nil || levels == 0 {
			return err
		}
		return checkDiskLevels(levels - 1)
	case <-time.After(time.Second):
		return errors.New("disk check timed out")
	}
}

// hookSpec's fields share their names with the methods below: reading one is no use of a method.
type hookSpec struct{ Mount, Unmount []string }

// hookCount ranges over hookSpec's fields, not over methods.
func hookCount(spec hookSpec) int {
	n := 0
	for _, hooks := range [][]string{spec.Mount, spec.Unmount} {
		n += len(hooks)
	}
	return n
}

type mountCommand struct{}

// Low: startOnce calls it once; `spec.Mount` in hookCount is a field.
func (mountCommand) Mount() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001" low
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("mount timed out")
	}
}

type unmountCommand struct{}

// Leaks: startOnce also hands it to retryAll as a function value, which may call it any number of times.
func (unmountCommand) Unmount() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("unmount timed out")
	}
}

// retryAll calls each check until it succeeds, up to three times.
func retryAll(checks []func() error) error {
	var err error
	for _, check := range checks {
		for i := 0; i < 3; i++ {
			if err = check(); err == nil {
				break
			}
		}
	}
	return err
}

type scanOptions struct{ dir string }

// Low: startOnce calls it once on a value it made of this type; a scan method of another type
// called in a loop is not this one.
func (o *scanOptions) scan() error {
	done := make(chan error)
	go func() {
		_, err := os.Stat(o.dir)
		done <- err // want "LS001" low
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("scan timed out")
	}
}

type rescanOptions struct{}

func (r *rescanOptions) scan() error { return nil }

func rescan(r *rescanOptions) {
	for i := 0; i < 3; i++ {
		_ = r.scan()
	}
}

type fetchOptions struct{}

// Leaks: called once on a value startOnce made, but also in refetch's loop on whatever its
// getter returns, whose type is not written there.
func (f *fetchOptions) fetch() error {
	done := make(chan error)
	go func() {
		done <- probeDisk() // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("fetch timed out")
	}
}

func refetch(get func() *fetchOptions) {
	for i := 0; i < 3; i++ {
		_ = get().fetch()
	}
}
