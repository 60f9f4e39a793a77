import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A caller nothing reaches does not keep a function out of `RunsOnce` (session 39, reclient's
/// `startProxy`): `leaky` below is called once by `run`, which main calls once, and by `unused`,
/// which nothing names. Each shape a code review found where the first version hid a real leak
/// is a case here that must stay `high`: the other caller is named where the run reads no code.
@Suite struct DeadCallerTests {
    /// `leaky`, stranding a sender when it gives up, and `run`, calling it once.
    static let leaky = """
        func leaky() int {
        \tch := make(chan int)
        \tgo func() { ch <- work() }()
        \tselect {
        \tcase v := <-ch:
        \t\treturn v
        \tcase <-time.After(time.Millisecond):
        \t\treturn 0
        \t}
        }

        func work() int { time.Sleep(time.Second); return 1 }

        func run() int { return leaky() }

        """

    static func confidence(_ files: [String: String], folder: String, packages: Int = 1,
                           function: String = "leaky") throws -> Confidence? {
        let findings = try lintModule(files, folder: folder, packages: packages, checks: [Checks.abandonedSend])
        return findings.first { $0.function.contains(".\(function).func") }?.confidence
    }

    static func program(_ extra: String) -> String {
        "package main\n\nimport \"time\"\n\nfunc main() { _ = run() }\n\n" + leaky + extra
    }

    @Test func aCallerNothingNamesDoesNotCount() throws {
        let files = [
            "go.mod": "module example.com/x\n\ngo 1.22\n",
            "main.go": Self.program("func unused() {\n\tfor i := 0; i < 10; i++ {\n\t\t_ = leaky()\n\t}\n}\n"),
        ]
        #expect(try Self.confidence(files, folder: "dead-caller-none") == .low)
        // The same caller named once, as a value: it may run, in a loop.
        var named = files
        named["keep.go"] = "package main\n\nvar keep = unused\n"
        #expect(try Self.confidence(named, folder: "dead-caller-named") == .high)
    }

    /// A function whose every caller is dead stays out of the set: its tests may run it any
    /// number of times (dnssd's `lookupInstance`, called by its tests and by an exported
    /// `LookupInstance` nothing in the module calls). Nor is an exported function of an
    /// importable package taken as dead when the module also holds a program.
    @Test func onlyDeadCallersLeaveItOut() throws {
        let library = "package p\n\nimport \"time\"\n\n" + Self.leaky.replacingOccurrences(of: "func run()", with: "func Run()")
            + "func Lookup() int { return leaky() }\n"
        let files = [
            "go.mod": "module example.com/x\n\ngo 1.22\n",
            "cmd/tool/main.go": "package main\n\nimport \"example.com/x/p\"\n\nfunc main() { _ = p.Run() }\n",
            "p/p.go": library,
            "p/p_test.go": "package p\n\nimport \"testing\"\n\nfunc TestLeaky(t *testing.T) {\n\tfor i := 0; i < 3; i++ {\n\t\t_ = leaky()\n\t}\n}\n",
        ]
        // `leaky` has a live caller (`Run`, once from main) and `Lookup`, exported: not dead.
        #expect(try Self.confidence(files, folder: "dead-caller-exported", packages: 2) == .high)
        var onlyDead = files
        onlyDead["p/p.go"] = library.replacingOccurrences(of: "func Run() int { return leaky() }", with: "func Run() int { return 0 }")
            .replacingOccurrences(of: "func Lookup() int { return leaky() }", with: "func lookup() int { return leaky() }")
        #expect(try Self.confidence(onlyDead, folder: "dead-caller-only-dead", packages: 2) == .high)
    }

    /// A method expression called with its receiver first is a call of the method (review case 3):
    /// `(*T).leak(t)` and `T.leakValue(t)` in a loop.
    @Test func methodExpressionsAreCalls() throws {
        let source = """
            package main

            import "time"

            type T struct{}

            func (t *T) leak() int {
            \tch := make(chan int)
            \tgo func() { ch <- work() }()
            \tselect {
            \tcase v := <-ch:
            \t\treturn v
            \tcase <-time.After(time.Millisecond):
            \t\treturn 0
            \t}
            }

            func work() int { time.Sleep(time.Second); return 1 }

            func main() {
            \tt := &T{}
            \t_ = t.leak()
            \tserve(t)
            }

            func serve(t *T) {
            \tfor i := 0; i < 10; i++ {
            \t\t_ = (*T).leak(t)
            \t}
            }

            func unused(t *T) {
            \tfor {
            \t\t_ = t.leak()
            \t}
            }

            """
        let files = ["go.mod": "module example.com/x\n\ngo 1.22\n", "main.go": source]
        #expect(try Self.confidence(files, folder: "dead-caller-method-expression", function: "leak") == .high)
    }

    /// A function pulled in by `go:linkname` from a file the run does not load (another build
    /// tag's, review case 9; a nested module's, case 8) is called.
    @Test func linknameInFilesNotLoadedCounts() throws {
        let library = "package p\n\nimport \"time\"\n\n" + Self.leaky.replacingOccurrences(of: "func run()", with: "func Run()")
            + "func serve() {\n\tfor i := 0; i < 10; i++ {\n\t\t_ = leaky()\n\t}\n}\n"
        let files = [
            "go.mod": "module example.com/x\n\ngo 1.22\n",
            "main.go": "package main\n\nimport (\n\t\"example.com/x/internal/p\"\n\t_ \"example.com/x/internal/hook\"\n)\n\nfunc main() { _ = p.Run() }\n",
            "internal/p/p.go": library,
            "internal/hook/hook.go": "package hook\n",
            "internal/hook/hook_prod.go": """
                //go:build prod

                package hook

                import _ "unsafe"

                //go:linkname serve example.com/x/internal/p.serve
                func serve()

                func init() { serve() }

                """,
        ]
        #expect(try Self.confidence(files, folder: "dead-caller-linkname", packages: 3) == .high)
    }

    /// A `go.work` above the module makes the modules it uses callers too (review case 16).
    @Test func workspaceModulesCount() throws {
        let library = "package lib\n\nimport \"time\"\n\n" + Self.leaky.replacingOccurrences(of: "func run()", with: "func Run()")
            + "func Serve() {\n\tfor i := 0; i < 10; i++ {\n\t\t_ = leaky()\n\t}\n}\n"
        let root = TestPaths.scratch.appendingPathComponent("dead-caller-workspace")
        let files = [
            "x/go.mod": "module example.com/x\n\ngo 1.22\n",
            "x/main.go": "package main\n\nimport \"example.com/x/lib\"\n\nfunc main() { _ = lib.Run() }\n",
            "x/lib/lib.go": library,
            "x/go.work": "go 1.22\n\nuse (\n\t.\n\t../y // the other module\n)\n",
            "y/go.mod": "module example.com/y\n\ngo 1.22\n",
            "y/main.go": "package main\n\nimport \"example.com/x/lib\"\n\nfunc main() { lib.Serve() }\n",
        ]
        for (path, text) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let loaded = PackageLoader.load([root.appendingPathComponent("x").path + "/..."], context: BuildContext())
        #expect(loaded.packages.count == 2)
        var session = LintSession(Linter(checks: [Checks.abandonedSend]))
        for package in loaded.packages { session.add(package) }
        let finding = session.finish().first { $0.function.contains(".leaky.func") }
        #expect(finding?.confidence == .high, "\(String(describing: finding))")
    }
}
