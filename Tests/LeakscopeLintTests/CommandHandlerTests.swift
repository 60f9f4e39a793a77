import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A sender stranded when a command's handler returns is `low` (the tool exits then), for the
/// handler shapes of cobra, urfave/cli (v2, v3) and go-flags; the same body under another
/// signature stays `high`. Imports need not resolve: the linter reads only the source.
@Suite struct CommandHandlerTests {
    /// A sender stranded when the function returns on the timeout: `received` and `timedOut` are
    /// the statements of the two arms.
    static func body(received: String = "\t\treturn err", timedOut: String = "\t\treturn errors.New(\"timed out\")") -> String {
        """
        \tdone := make(chan error)
        \tgo func() {
        \t\tdone <- work()
        \t}()
        \tselect {
        \tcase err := <-done:
        \(received)
        \tcase <-time.After(time.Second):
        \(timedOut)
        \t}
        """
    }

    static let body = body()

    func findings(_ source: String, _ name: String) throws -> [LintFinding] {
        try lintSource(source, directory: "commands-\(name)")
    }

    @Test(arguments: [
        ("cobra", "github.com/spf13/cobra", "func runExport(cmd *cobra.Command, args []string) error {"),
        ("cobra-literal", "github.com/spf13/cobra", "var exportCmd = &cobra.Command{RunE: func(_ *cobra.Command, _ []string) error {"),
        ("urfave-v2", "github.com/urfave/cli/v2", "func runExport(c *cli.Context) error {"),
        ("urfave-v3", "github.com/urfave/cli/v3", "func runExport(ctx context.Context, cmd *cli.Command) error {"),
    ])
    func handlerFindingsAreLow(_ name: String, _ importPath: String, _ header: String) throws {
        let close = header.hasPrefix("var") ? "}}" : "}"
        let source = """
        package a

        import (
        \t"context"
        \t"errors"
        \t"time"

        \t"\(importPath)"
        )

        var _ context.Context

        func work() error { return nil }

        \(header)
        \(Self.body)
        \(close)

        func ExportWithin(cmd *cobra.Command, args []string, limit time.Duration) error {
        \(Self.body)
        }
        """
        let found = try findings(source, name)
        #expect(found.count == 2, "\(found.map { "\($0.line) \($0.confidence)" })")
        let low = found.filter { $0.confidence == .low }
        #expect(low.count == 1 && low[0].line == 18, "\(found.map { "\($0.line) \($0.confidence)" })")
        #expect(low.first?.confidenceNote?.contains("command's handler") == true)
        #expect(found.contains { $0.line == 31 && $0.confidence == .high })
    }

    /// ffcli's command handler is the `Exec` literal of an `ffcli.Command` (its signature,
    /// `func(context.Context, []string) error`, says nothing by itself): a function it calls
    /// outside loops runs once; one it calls in a loop, or one called from another package's
    /// `Command` literal, may run many times.
    @Test func ffcliExecRunsOnce() throws {
        let source = """
        package main

        import (
        \t"context"
        \t"errors"
        \t"time"

        \t"github.com/peterbourgon/ff/v3/ffcli"
        \tother "example.com/other"
        )

        func work() error { return nil }

        func export(limit time.Duration) error {
        \(Self.body)
        }

        func exportEach(limit time.Duration) error {
        \(Self.body)
        }

        func exportOther(limit time.Duration) error {
        \(Self.body)
        }

        func main() {
        \troot := &ffcli.Command{
        \t\tName: "export",
        \t\tExec: func(ctx context.Context, args []string) error {
        \t\t\tfor range args {
        \t\t\t\t_ = exportEach(time.Second)
        \t\t\t}
        \t\t\treturn export(time.Second)
        \t\t},
        \t}
        \tsub := &other.Command{Exec: func(ctx context.Context, args []string) error { return exportOther(time.Second) }}
        \t_, _ = root, sub
        }
        """
        let found = try findings(source, "ffcli")
        let byFunction = Dictionary(grouping: found) { $0.function ?? "" }.mapValues { $0.map(\.confidence) }
        #expect(byFunction == ["main.export.func1": [.low], "main.exportEach.func1": [.high], "main.exportOther.func1": [.high]],
                "\(found.map { "\($0.function ?? "") \($0.line) \($0.confidence)" })")
    }

    /// maruel/subcommands' and mitchellh/cli's handlers return an exit status: `Run(…) int`. A
    /// `Run(args []string) int` counts only on a command type, and a subcommands-like signature
    /// only with that package's types.
    @Test func exitStatusHandlersAreLow() throws {
        let body = Self.body(received: "\t\tif err != nil {\n\t\t\treturn 1\n\t\t}\n\t\treturn 0", timedOut: "\t\treturn 2")
        let source = """
        package a

        import (
        \t"time"

        \t"github.com/maruel/subcommands"
        \tother "example.com/subcommands"
        )

        func work() error { return nil }

        type lsRun struct{ subcommands.CommandRunBase }

        func (r *lsRun) Run(a subcommands.Application, args []string, env subcommands.Env) int {
        \(body)
        }

        type ExportCommand struct{}

        func (c *ExportCommand) Run(args []string) int {
        \(body)
        }

        type Worker struct{}

        func (w *Worker) Run(args []string) int {
        \(body)
        }

        type otherRun struct{}

        func (r *otherRun) Run(a other.Application, args []string, env other.Env) int {
        \(body)
        }
        """
        let found = try findings(source, "exit-status")
        let byFunction = Dictionary(grouping: found) { $0.function ?? "" }.mapValues { $0.map(\.confidence) }
        #expect(byFunction == ["commands-exit-status.(*lsRun).Run.func1": [.low], "commands-exit-status.(*ExportCommand).Run.func1": [.low],
                               "commands-exit-status.(*Worker).Run.func1": [.high], "commands-exit-status.(*otherRun).Run.func1": [.high]],
                "\(found.map { "\($0.function ?? "") \($0.line) \($0.confidence)" })")
    }
}
