import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A sender stranded in an fx application's start or stop hook (`fx.Hook{OnStop: …}`,
/// `fx.StopHook(…)`, appended to a lifecycle) is `low`: the hook runs once, as the process starts
/// or stops. The same body in a loop written in the hook, in a closure the hook stores and calls
/// in a loop, in a hook used as a plain value, in a plain function, or under a `Hook` type of
/// another package stays `high` (review of session 24). Imports need not resolve: the linter reads only the source.
@Suite struct LifecycleHookTests {
    /// Waits up to a second for `stop` in a goroutine; returns on time-out, stranding it.
    static let stopWithin = """
    errc := make(chan error)
    \t\t\tgo func() {
    \t\t\t\terrc <- stop(ctx)
    \t\t\t}()
    \t\t\tselect {
    \t\t\tcase err := <-errc:
    \t\t\t\treturn err
    \t\t\tcase <-time.After(time.Second):
    \t\t\t\treturn errors.New("stop timed out")
    \t\t\t}
    """


    @Test func hooksRunOnceLoopsAndOtherCodeDoNot() throws {
        let source = """
        package a

        import (
        \t"context"
        \t"errors"
        \t"time"

        \t"go.uber.org/fx"
        \tother "example.com/other"
        )

        func stop(ctx context.Context) error { return ctx.Err() }

        func register(lc fx.Lifecycle) {
        \tlc.Append(fx.Hook{
        \t\tOnStop: func(ctx context.Context) error {
        \t\t\t\(Self.stopWithin)
        \t\t},
        \t})
        }

        func registerStopHook(lc fx.Lifecycle) {
        \tlc.Append(fx.StopHook(func(ctx context.Context) error {
        \t\t\t\(Self.stopWithin)
        \t}))
        }

        func registerEach(lc fx.Lifecycle, parts []string) {
        \tlc.Append(fx.Hook{
        \t\tOnStop: func(ctx context.Context) error {
        \t\t\tfor range parts {
        \t\t\t\(Self.stopWithin)
        \t\t\t}
        \t\t\treturn nil
        \t\t},
        \t})
        }

        func registerOther(lc other.Lifecycle) {
        \tlc.Append(other.Hook{
        \t\tOnStop: func(ctx context.Context) error {
        \t\t\t\(Self.stopWithin)
        \t\t},
        \t})
        }

        func registerStored(lc fx.Lifecycle, parts []string) {
        \tlc.Append(fx.Hook{
        \t\tOnStop: func(ctx context.Context) error {
        \t\t\tstopOne := func() error {
        \t\t\t\(Self.stopWithin)
        \t\t\t}
        \t\t\tfor range parts {
        \t\t\t\t_ = stopOne()
        \t\t\t}
        \t\t\treturn nil
        \t\t},
        \t})
        }

        func runAsValue(ctx context.Context, sessions []string) {
        \tfor range sessions {
        \t\th := fx.Hook{
        \t\t\tOnStop: func(ctx context.Context) error {
        \t\t\t\(Self.stopWithin)
        \t\t\t},
        \t\t}
        \t\t_ = h.OnStop(ctx)
        \t}
        }

        func stopNow(ctx context.Context) error {
        \t\(Self.stopWithin)
        }

        // Each is called by code not shown (a finding in code nothing calls is low).
        var registrations = []any{register, registerStopHook, registerEach, registerOther, registerStored, runAsValue, stopNow}
        """
        let found = try lintSource(source, directory: "lifecycle-hooks")
        let byFunction = Dictionary(grouping: found) { $0.function ?? "" }.mapValues { $0.map(\.confidence) }
        #expect(byFunction == [
            "lifecycle-hooks.register.func1.1": [.low],
            "lifecycle-hooks.registerStopHook.func1.1": [.low],
            "lifecycle-hooks.registerEach.func1.1": [.high],
            "lifecycle-hooks.registerOther.func1.1": [.high],
            "lifecycle-hooks.registerStored.func1.1.1": [.high],
            "lifecycle-hooks.runAsValue.func1.1": [.high],
            "lifecycle-hooks.stopNow.func1": [.high],
        ], "\(found.map { "\($0.function ?? "") \($0.line) \($0.confidence)" })")
        #expect(found.filter { $0.confidence == .low }.allSatisfy { $0.confidenceNote?.contains("start or stop hook") == true })
    }

    /// kardianos/service calls a program's `Start(s service.Service) error` once, as the service
    /// starts: what it starts with `go p.run()` runs once, and a response held there is one
    /// (Cosmos-Server's `CheckInternet`, docs/LINT.md session 35). A `Start` taking another
    /// package's `Service` is no such hook, and one the program calls in a loop runs many times.
    @Test func serviceStartRunsOnce() throws {
        let main = """
        package main

        import (
        	"net/http"

        	"github.com/kardianos/service"
        	other "example.com/other"
        )

        type program struct{}

        func (p *program) Start(s service.Service) error {
        	go p.run()
        	return nil
        }

        func (p *program) Stop(s service.Service) error { return nil }

        func (p *program) run() { checkInternet() }

        func checkInternet() {
        	resp, err := http.Get("https://example.com/")
        	if err == nil {
        		println(resp.StatusCode)
        	}
        }

        type worker struct{}

        func (w *worker) Start(s other.Service) error {
        	go w.poll()
        	return nil
        }

        func (w *worker) poll() { probe() }

        func probe() {
        	resp, err := http.Get("https://example.com/")
        	if err == nil {
        		println(resp.StatusCode)
        	}
        }

        // Started again and again by the program itself: not once.
        type reloader struct{}

        func (r *reloader) Start(s service.Service) error {
        \tgo r.reload()
        \treturn nil
        }

        func (r *reloader) reload() { refresh() }

        func refresh() {
        \tresp, err := http.Get("https://example.com/")
        \tif err == nil {
        \t\tprintln(resp.StatusCode)
        \t}
        }

        func main() {
        \ts, _ := service.New(&program{}, &service.Config{Name: "svc"})
        \t_ = s.Run()
        \t_ = other.Register(&worker{})
        \tr := &reloader{}
        \tfor range make(chan int) {
        \t\t_ = r.Start(nil)
        \t}
        }
        """
        let found = try lintModule(["go.mod": "module example.com/svc\n\ngo 1.22\n", "main.go": main], folder: "service-hooks",
                                   packages: 1, checks: [Checks.bodyNotClosed])
        let byFunction = Dictionary(uniqueKeysWithValues: found.map { ($0.function, $0.confidence) })
        #expect(byFunction == ["main.checkInternet": .low, "main.probe": .high, "main.refresh": .high], "\(byFunction)")
        #expect(found.first { $0.function == "main.checkInternet" }?.confidenceNote?.hasPrefix("the function runs once per process") == true)
    }
}
