import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A sender stranded in a function whose return ends the process is `low`, even when an
/// importable package exports it: main calls it last, after its stop signal, and then only
/// exits (carbon-relay-ng's `if !manager.Stop(inputs, timeout) { os.Exit(1) }`, docs/LINT.md
/// session 29). Called anywhere else as well, called before other work, used as a value, or
/// called last by a function that is not itself a tail of main, it stays `high`. The module is a
/// library: its one program sits under `tools/` (`RunsOnce.isApplicationMain`), so other modules
/// may call its exports too.
@Suite struct ExitTailTests {
    static let files: [String: String] = [
        "go.mod": "module example.com/relay\n\ngo 1.22\n",
        "manager/manager.go": RunsOnceTests.package("manager", ["Stop", "Drain", "Flush", "Reload", "stopAll"]) + """


        // Called last by Close, which main calls last: its return ends the process too.
        func Close() error {
        \tlog.Println("closing")
        \treturn stopAll()
        }

        type Server struct{}

        func (s *Server) Shutdown(timeout time.Duration) error {
        \t\(CommandHandlerTests.body.replacingOccurrences(of: "\n", with: "\n\t"))
        }

        // Exported and called from main's tail, but also from a reload loop.
        var Hook = Reload
        """.replacingOccurrences(of: "\"errors\"\n", with: "\"errors\"\n\t\"log\"\n"),
        "tools/relay/main.go": """
        package main

        import (
        \t"log"
        \t"os"
        \t"os/signal"
        \t"time"

        \t"example.com/relay/manager"
        )

        func main() {
        \tsrv := &manager.Server{}
        \t_ = manager.Drain()
        \tsig := make(chan os.Signal, 1)
        \tsignal.Notify(sig, os.Interrupt)
        \t<-sig
        \tif err := manager.Flush(); err != nil {
        \t\tlog.Printf("flush: %v", err)
        \t}
        \t_ = manager.Reload()
        \tif err := srv.Shutdown(time.Second); err != nil {
        \t\tlog.Fatalf("shutdown: %v", err)
        \t}
        \t_ = manager.Close()
        \tif !stopped() {
        \t\tos.Exit(1)
        \t}
        }

        func stopped() bool {
        \tif err := manager.Stop(); err != nil {
        \t\treturn false
        \t}
        \treturn true
        }
        """,
    ]

    @Test func strandedOnlyAsTheProcessEndsIsLow() throws {
        for reversed in [false, true] {
            var found: [String: Confidence] = [:]
            for finding in try lintModule(Self.files, folder: "exit-tails", packages: 2, checks: [Checks.abandonedSend],
                                          reversed: reversed) {
                found[String(finding.function.dropLast(".func1".count))] = finding.confidence
                if finding.confidence == .low { #expect(finding.confidenceNote?.contains("return ends the process") == true) }
            }
            #expect(found == [
                // main's last call, through stopped(), whose own return main's last `if` makes.
                "example.com/relay/manager.Stop": .low,
                // Called before main waits for its signal; main goes on afterwards.
                "example.com/relay/manager.Drain": .high,
                // Flush's caller goes on to Reload, Shutdown, Close: not main's last call.
                "example.com/relay/manager.Flush": .high,
                // Also used as a value (Hook).
                "example.com/relay/manager.Reload": .high,
                // Not main's last call; and a method called by name may be another type's.
                "example.com/relay/manager.(*Server).Shutdown": .high,
                // Close's last call, and Close is main's last but one: followed by the `if`
                // that calls stopped().
                "example.com/relay/manager.stopAll": .high,
            ])
        }
    }

    /// A cobra handler written in place ends the process when it returns, as `main` does: what it
    /// calls last, an exported function of a library package here (the program sits under
    /// `tools/`), is `low`; what it calls
    /// before, and what a package-level `sync.Once` runs last (its return ends nothing), stay `high`.
    @Test func handlerLiteralsEndTheProcessOnceLiteralsDoNot() throws {
        let files = [
            "go.mod": "module example.com/tool\n\ngo 1.22\n",
            "syncer/syncer.go": RunsOnceTests.package("syncer", ["Run", "Prepare", "Warm"]),
            "tools/tool/main.go": """
            package main

            import (
            \t"fmt"
            \t"os"
            \t"sync"

            \t"example.com/tool/syncer"
            \t"github.com/spf13/cobra"
            )

            var warm sync.Once

            func main() {
            \tcmd := &cobra.Command{RunE: func(cmd *cobra.Command, args []string) error {
            \t\t_ = syncer.Prepare()
            \t\twarm.Do(func() { _ = syncer.Warm() })
            \t\tif err := syncer.Run(); err != nil {
            \t\t\treturn fmt.Errorf("sync: %w", err)
            \t\t}
            \t\treturn nil
            \t}}
            \tif err := cmd.Execute(); err != nil {
            \t\tos.Exit(1)
            \t}
            }
            """,
        ]
        let found = try Self.confidences(files, in: "exit-tails-handlers", packages: 2)
        #expect(found == [
            "example.com/tool/syncer.Run": .low,
            "example.com/tool/syncer.Prepare": .high,
            "example.com/tool/syncer.Warm": .high,
        ])
    }

    /// Lints `files` under a scratch `folder` with LS001 alone: each finding's confidence by
    /// function, `.funcN` suffix dropped.
    static func confidences(_ files: [String: String], in folder: String, packages: Int) throws -> [String: Confidence] {
        var found: [String: Confidence] = [:]
        for finding in try lintModule(files, folder: folder, packages: packages, checks: [Checks.abandonedSend]) {
            found[String(finding.function.dropLast(".func1".count))] = finding.confidence
        }
        return found
    }

    /// What a review found the first version took as ending the process: a library function an
    /// example program calls last (other programs call it too), one whose result the last call
    /// takes as its argument (`lib.Serve(lib.Warm())`: Serve runs on), a `PersistentPreRunE`
    /// hook (the command runs after it). All stay `high`; the last call itself is `low`. The
    /// programs sit under `examples/` and `tools/`: the module is a library.
    @Test func examplesArgumentsAndHooksDoNotEndTheProcess() throws {
        let files = [
            "go.mod": "module example.com/lib\n\ngo 1.22\n",
            "lib/lib.go": RunsOnceTests.package("lib", ["Latest", "Warm", "Ping", "Status"])
                + "\n\nfunc Serve(err error) error {\n\tfor {\n\t\tif _, err := os.Stat(\".\"); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n}\n",
            "examples/basic/main.go": """
            package main

            import (
            \t"log"

            \t"example.com/lib/lib"
            )

            func main() {
            \tif err := lib.Latest(); err != nil {
            \t\tlog.Fatal(err)
            \t}
            }
            """,
            "tools/tool/main.go": """
            package main

            import (
            \t"os"

            \t"example.com/lib/lib"
            \t"github.com/spf13/cobra"
            )

            func main() {
            \troot := &cobra.Command{
            \t\tPersistentPreRunE: func(cmd *cobra.Command, args []string) error { return lib.Ping() },
            \t\tRunE: func(cmd *cobra.Command, args []string) error { return lib.Status() },
            \t}
            \tif err := root.Execute(); err != nil {
            \t\tos.Exit(1)
            \t}
            \t_ = lib.Serve(lib.Warm())
            }
            """,
        ]
        #expect(try Self.confidences(files, in: "exit-tails-review", packages: 3) == [
            "example.com/lib/lib.Latest": .high,
            "example.com/lib/lib.Warm": .high,
            "example.com/lib/lib.Ping": .high,
            "example.com/lib/lib.Status": .low,
        ])
    }

    /// An interactive shell runs its command tree in a loop: a command's return ends nothing,
    /// and what its handler calls last stays `high`.
    @Test func commandsRunInALoopDoNotEndTheProcess() throws {
        let files = [
            "go.mod": "module example.com/shell\n\ngo 1.22\n",
            "lib/lib.go": RunsOnceTests.package("lib", ["Status"]),
            "cmd/shell/main.go": """
            package main

            import (
            \t"bufio"
            \t"os"
            \t"strings"

            \t"example.com/shell/lib"
            \t"github.com/spf13/cobra"
            )

            func main() {
            \troot := &cobra.Command{RunE: func(cmd *cobra.Command, args []string) error { return lib.Status() }}
            \tin := bufio.NewScanner(os.Stdin)
            \tfor in.Scan() {
            \t\troot.SetArgs(strings.Fields(in.Text()))
            \t\t_ = root.Execute()
            \t}
            }
            """,
        ]
        #expect(try Self.confidences(files, in: "exit-tails-shell", packages: 2) == ["example.com/shell/lib.Status": .high])
    }
}
