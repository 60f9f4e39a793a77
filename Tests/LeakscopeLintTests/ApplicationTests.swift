import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A module with a program of its own (`RunsOnce.isApplicationMain`) owns its exported
/// functions: what its `main` calls once runs once, as in a `cmd/` or `internal/` package
/// (estuary's `commp.NewManager`, docs/LINT.md session 31). A module whose only program is an
/// example's or a tool's is a library, whose exports other modules may call any number of times.
@Suite struct ApplicationTests {
    /// ExitTailTests' relay module, its program moved from `tools/` to `cmd/`.
    static func relay(programAt folder: String) -> [String: String] {
        var files = ExitTailTests.files
        files[folder + "/main.go"] = files.removeValue(forKey: "tools/relay/main.go")
        return files
    }

    @Test func exportsMainCallsOnceAreLowInAnApplication() throws {
        var found: [String: Confidence] = [:]
        for finding in try lintModule(Self.relay(programAt: "cmd/relay"), folder: "application-relay", packages: 2,
                                      checks: [Checks.abandonedSend]) {
            found[String(finding.function.dropLast(".func1".count))] = finding.confidence
        }
        #expect(found == [
            "example.com/relay/manager.Stop": .low,
            "example.com/relay/manager.Drain": .low,
            "example.com/relay/manager.Flush": .low,
            // Used as a value (Hook): it may run any number of times.
            "example.com/relay/manager.Reload": .high,
            "example.com/relay/manager.(*Server).Shutdown": .low,
            "example.com/relay/manager.stopAll": .low,
        ])
    }

    /// Programs under an example's or a tool's folder leave the module a library.
    @Test func examplesAndToolsLeaveALibrary() throws {
        for folder in ["examples/relay", "hack/relay", "test/e2e/relay"] {
            let findings = try lintModule(Self.relay(programAt: folder), folder: "application-\(folder.split(separator: "/")[0])",
                                          packages: 2, checks: [Checks.abandonedSend])
            let drain = findings.first { $0.function.hasPrefix("example.com/relay/manager.Drain") }
            #expect(drain?.confidence == .high, "\(folder)")
        }
    }

    static let workers = """
    package workers

    import (
    \t"context"
    \t"time"
    )

    // StartCompactor's loop ends only when ctx is cancelled: the process is stopping.
    func StartCompactor(ctx context.Context, compact func()) {
    \tgo func() {
    \t\tt := time.NewTicker(time.Minute)
    \t\tfor {
    \t\t\tselect {
    \t\t\tcase <-ctx.Done():
    \t\t\t\treturn
    \t\t\tcase <-t.C:
    \t\t\t\tcompact()
    \t\t\t}
    \t\t}
    \t}()
    }

    // StartBackfill's loop returns once the backfill is done, while the process goes on.
    func StartBackfill(ctx context.Context, step func() bool) {
    \tgo func() {
    \t\tt := time.NewTicker(time.Minute)
    \t\tfor {
    \t\t\tselect {
    \t\t\tcase <-ctx.Done():
    \t\t\t\treturn
    \t\t\tcase <-t.C:
    \t\t\t\tif step() {
    \t\t\t\t\treturn
    \t\t\t\t}
    \t\t\t}
    \t\t}
    \t}()
    }
    """

    static let server = """
    package main

    import (
    \t"context"
    \t"net/http"

    \t"example.com/store/workers"
    )

    func main() {
    \tctx := context.Background()
    \tworkers.StartCompactor(ctx, func() {})
    \tworkers.StartBackfill(ctx, func() bool { return true })
    \t_ = http.ListenAndServe("localhost:8080", nil)
    }
    """

    /// LS002 in a worker an application starts once: a ticker its loop feeds until the stop
    /// signal is wanted for the whole process (`low`); one whose loop returns on its own leaves
    /// the ticker firing for the rest of the process (`high`). In a library both stay `high`.
    @Test func onceRunTickersAreLowOnlyWhenTheirLoopEndsOnStop() throws {
        for (folder, application) in [("cmd/store", true), ("examples/store", false)] {
            let files = ["go.mod": "module example.com/store\n\ngo 1.22\n", "workers/workers.go": Self.workers,
                         folder + "/main.go": Self.server]
            var found: [String: Confidence] = [:]
            for finding in try lintModule(files, folder: "application-tickers-\(application)", packages: 2,
                                          checks: [Checks.tickerNotStopped]) {
                found[finding.function] = finding.confidence
            }
            #expect(found == [
                "example.com/store/workers.StartCompactor.func1": application ? .low : .high,
                "example.com/store/workers.StartBackfill.func1": .high,
            ], "\(folder)")
        }
    }

    /// A command tree run again and again (an interactive shell) runs its handlers many times;
    /// a template's `Execute(w, data)` in a loop is no such run, nor is a test harness under
    /// `test/` that runs the commands once per case.
    @Test func handlersRunOnceUnlessTheProgramRunsItsCommandsAgain() throws {
        let main = """
        package main

        import (
        \t"os"

        \t"example.com/tool/lib"
        \t"github.com/spf13/cobra"
        )

        var root = &cobra.Command{RunE: func(cmd *cobra.Command, args []string) error {
        \t_ = lib.Status()
        \treturn lib.Report(os.Stdout)
        }}

        func main() {
        \tif err := root.Execute(); err != nil {
        \t\tos.Exit(1)
        \t}
        }
        """
        let report = """


        func Report(w io.Writer) error {
        \ttpl := template.Must(template.New("r").Parse("{{.}}"))
        \tfor _, line := range []string{"a", "b"} {
        \t\tif err := tpl.Execute(w, line); err != nil {
        \t\t\treturn err
        \t\t}
        \t}
        \treturn nil
        }
        """
        let lib = RunsOnceTests.package("lib", ["Status"]).replacingOccurrences(of: "\"errors\"\n", with: "\"errors\"\n\t\"io\"\n\t\"text/template\"\n") + report
        let runner = """
        package %@

        import "github.com/spf13/cobra"

        // RunAll runs each command of a session, one after another.
        func RunAll(commands []*cobra.Command) {
        \tfor _, c := range commands {
        \t\t_ = c.Execute()
        \t}
        }
        """
        for (folder, once) in [("test/harness", true), ("internal/shell", false)] {
            let name = String(folder.split(separator: "/").last!)
            let files = ["go.mod": "module example.com/tool\n\ngo 1.22\n", "lib/lib.go": lib, "cmd/tool/main.go": main,
                         folder + "/runner.go": runner.replacingOccurrences(of: "%@", with: name)]
            let findings = try lintModule(files, folder: "application-handlers-\(name)", packages: 3, checks: [Checks.abandonedSend])
            let status = findings.first { $0.function.hasPrefix("example.com/tool/lib.Status") }
            #expect(status?.confidence == (once ? .low : .high), "\(folder)")
        }
    }
}
