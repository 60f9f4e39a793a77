import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A finding in a function nothing calls is `low` (`RunsOnce.unreferenced`, docs/LINT.md session
/// 35): vflow's `disc.Run`, in a package of an application nothing imports. Whatever the linter
/// does not read as code but may call the function keeps it `high`: a test in a directory of
/// tests only, a file of another platform, a nested module importing the package, an iterator
/// ranged over; so do functions code not linted may call (a library's exported function, an
/// exported method, an exported function of `main`, a function exported to C).
@Suite struct UnreferencedTests {
    /// A function `name` (a method with `receiver`) that leaves a response's body open.
    static func fetch(_ name: String, receiver: String = "") -> String {
        """
        func \(receiver)\(name)(url string) int {
        \tresp, err := http.Get(url)
        \tif err != nil {
        \t\treturn 0
        \t}
        \treturn resp.StatusCode
        }

        """
    }

    /// Calls `disc.Used` once per argument: more than once per process.
    static let main = "package main\n\nimport (\n\t\"os\"\n\n\t\"example.com/app/disc\"\n)\n\nfunc main() {\n\tfor _, u := range os.Args {\n\t\tdisc.Used(u)\n\t}\n}\n"

    /// Confidence of each LS004 finding, by function name (the last element of the runtime name).
    static func confidences(_ findings: [LintFinding]) -> [String: Confidence] {
        Dictionary(findings.filter { $0.check.id == "LS004" }.map { (String($0.function.split(separator: ".").last!), $0.confidence) },
                   uniquingKeysWith: { a, _ in a })
    }

    @Test func uncalledFunctionsOfAnApplicationAreLow() throws {
        let disc = "package disc\n\nimport \"net/http\"\n\n" + Self.fetch("Used") + Self.fetch("Run") + Self.fetch("unusedHelper")
            + Self.fetch("TestOnly") + Self.fetch("NestedOnly")
            + "type probe struct{}\n\n" + Self.fetch("Probe", receiver: "(probe) ") + Self.fetch("check", receiver: "(probe) ")
        let files = [
            "go.mod": "module example.com/app\n\ngo 1.23\n",
            "main.go": Self.main,
            "disc/disc.go": disc,
            // `t.Run` names a Run, but not disc's: the file does not import disc.
            "other/other_test.go": "package other\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) { t.Run(\"x\", func(t *testing.T) {}) }\n",
            // A directory of tests alone, read by neither run: its call still counts.
            "e2e/e2e_test.go": "package e2e\n\nimport (\n\t\"testing\"\n\n\t\"example.com/app/disc\"\n)\n\nfunc TestDisc(t *testing.T) { disc.TestOnly(\"x\") }\n",
            "tools/go.mod": "module example.com/tools\n\ngo 1.23\n",
            "tools/main.go": "package main\n\nimport \"example.com/app/disc\"\n\nfunc main() { disc.NestedOnly(\"x\") }\n",
            // Go 1.23's iterator: ranged over, so called.
            "disc/iter.go": """
            package disc

            import "net/http"

            func statuses(yield func(int) bool) {
            \tresp, err := http.Get("http://x/")
            \tif err == nil {
            \t\tyield(resp.StatusCode)
            \t}
            }

            func Sum() (total int) {
            \tfor code := range statuses {
            \t\ttotal += code
            \t}
            \treturn total
            }

            """,
        ]
        let findings = try lintModule(files, folder: "unreferenced-app", packages: 2, checks: [Checks.bodyNotClosed])
        let found = Self.confidences(findings)
        #expect(found["Run"] == .low && found["unusedHelper"] == .low && found["check"] == .low, "\(found)")
        #expect(findings.first { $0.function.hasSuffix(".Run") }?.confidenceNote?.hasPrefix("nothing calls this function") == true)
        // Called by main, by a test, by a nested module, ranged over; an exported method.
        for name in ["Used", "TestOnly", "NestedOnly", "statuses", "Probe"] { #expect(found[name] == .high, "\(name): \(found)") }
    }

    /// A package under `internal/` nothing imports never runs, its exported methods included
    /// (kubeedge's `windows-virtual-exec/internal/utils/timer`, session 38). An import anywhere
    /// keeps it `high`: a test in another directory, another platform's file, a program in a
    /// hidden directory or a `//go:build ignore` one in its own; so do tests of its own, and any
    /// package outside `internal/` (a module with a program may still be a library).
    @Test func internalPackagesNothingImportsAreLow() throws {
        let main = "package main\n\nimport (\n\t\"os\"\n\n\t\"example.com/app/internal/used\"\n)\n\nfunc main() {\n\tfor _, u := range os.Args {\n\t\tused.T{}.Probe(u)\n\t}\n}\n"
        let header = "import \"net/http\"\n\ntype T struct{}\n\n"
        func importer(_ package: String, _ path: String) -> String {
            "package \(package)\n\nimport _ \"example.com/app/\(path)\"\n"
        }
        let files = [
            "go.mod": "module example.com/app\n\ngo 1.23\n",
            "main.go": main,
            "internal/used/used.go": "package used\n\n" + header + Self.fetch("Probe", receiver: "(T) "),
            "internal/legacy/legacy.go": "package legacy\n\n" + header + Self.fetch("Handle", receiver: "(T) ") + Self.fetch("Exported")
                + "func (T) ServeHTTP(w http.ResponseWriter, r *http.Request) { w.WriteHeader(serve(r.URL.String())) }\n\n" + Self.fetch("serve"),
            // Outside internal/: another module may import it.
            "legacy/legacy.go": "package legacy\n\n" + header + Self.fetch("Public", receiver: "(T) "),
            // Imported only by a test of another directory, another platform's file, a program
            // in a hidden directory or one its own directory's build ignores: kept.
            "internal/tested/tested.go": "package tested\n\n" + header + Self.fetch("Tested", receiver: "(T) "),
            "e2e/e2e_test.go": "package e2e\n\nimport (\n\t\"testing\"\n\n\t\"example.com/app/internal/tested\"\n)\n\nfunc TestT(t *testing.T) { tested.T{}.Tested(\"x\") }\n",
            "internal/gen/gen.go": "package gen\n\n" + header + Self.fetch("Generated", receiver: "(T) "),
            "win/win.go": "//go:build windows\n\npackage win\n\nimport `example.com/app/internal/gen`\n\nvar _ gen.T\n",
            "internal/soaked/soaked.go": "package soaked\n\n" + header + Self.fetch("Soaked", receiver: "(T) "),
            ".tools/soak/main.go": importer("main", "internal/soaked") + "\nfunc main() {}\n",
            "internal/worker/worker.go": "package worker\n\n" + header + Self.fetch("Work", receiver: "(T) "),
            "internal/worker/soak.go": "//go:build ignore\n\n" + importer("main", "internal/worker") + "\nfunc main() {}\n",
            // Its own tests run it.
            "internal/selftest/selftest.go": "package selftest\n\n" + header + Self.fetch("SelfTested", receiver: "(T) "),
            "internal/selftest/x_test.go": "package selftest\n\nimport \"testing\"\n\nfunc TestS(t *testing.T) { T{}.SelfTested(\"x\") }\n",
        ]
        let findings = try lintModule(files, folder: "orphaned-app", packages: 9, checks: [Checks.bodyNotClosed])
        let found = Self.confidences(findings)
        #expect(found == ["Probe": .high, "Handle": .low, "Exported": .low, "serve": .low, "Public": .high, "Tested": .high,
                          "Generated": .high, "Soaked": .high, "Work": .high, "SelfTested": .high], "\(found)")
        #expect(findings.first { $0.function.hasSuffix(".Handle") }?.confidenceNote?.hasPrefix("nothing imports this function's package") == true)
        // A library: its packages are for other modules, but for `internal/` ones.
        let library = try lintModule([
            "go.mod": "module example.com/lib\n\ngo 1.23\n",
            "pkg/legacy/legacy.go": "package legacy\n\n" + header + Self.fetch("LibHandle", receiver: "(T) "),
            "cmd/tool/lib/lib.go": "package lib\n\n" + header + Self.fetch("ToolHandle", receiver: "(T) "),
            "internal/old/old.go": "package old\n\n" + header + Self.fetch("OldHandle", receiver: "(T) "),
        ], folder: "orphaned-library", packages: 3, checks: [Checks.bodyNotClosed])
        #expect(Self.confidences(library) == ["LibHandle": .high, "ToolHandle": .high, "OldHandle": .low])
    }

    @Test func codeOutsideTheLintedCodeMayCall() throws {
        // A library: its exported functions are for other modules. Its unexported one is not.
        let library = try lintModule([
            "go.mod": "module example.com/lib\n\ngo 1.23\n",
            "lib.go": "package lib\n\nimport \"net/http\"\n\n" + Self.fetch("Fetch") + Self.fetch("fetchQuietly"),
        ], folder: "unreferenced-library", packages: 1, checks: [Checks.bodyNotClosed])
        #expect(Self.confidences(library) == ["Fetch": .high, "fetchQuietly": .low])
        // An exported function of main may be a plugin's symbol; a file exporting to C is called from C.
        let program = try lintModule([
            "go.mod": "module example.com/plugin\n\ngo 1.23\n",
            "main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {}\n\n" + Self.fetch("Symbol") + Self.fetch("local"),
            "cgo.go": "package main\n\nimport \"net/http\"\n\n//export fromC\n" + Self.fetch("fromC"),
        ], folder: "unreferenced-plugin", packages: 1, checks: [Checks.bodyNotClosed])
        #expect(Self.confidences(program) == ["Symbol": .high, "local": .low, "fromC": .high])
    }

    @Test func callsTheCallGraphMissesStillCount() throws {
        // A method expression called with its receiver, a package named unlike its directory,
        // a dot import, a `//go:linkname` in the caller's package; and a chain of functions
        // nothing calls (`outdated` calls `fetchStale`, nothing calls `outdated`).
        let files = [
            "go.mod": "module example.com/graph\n\ngo 1.23\n",
            "main.go": """
            package main

            import (
            \t"net/http"
            \t"os"
            \t_ "unsafe"

            \t. "example.com/graph/internal/dotted"
            \t"example.com/graph/internal/renamedimpl"
            )

            type T struct{}

            \(Self.fetch("viaExpression", receiver: "(T) "))
            //go:linkname linked example.com/graph/internal/linked.fetch
            func linked(url string) int

            func main() {
            \tfor _, u := range os.Args {
            \t\tprintln(T.viaExpression(T{}, u), renamed.Fetch(u), Dotted(u), linked(u))
            \t}
            }

            """,
            "internal/renamedimpl/r.go": "package renamed\n\nimport \"net/http\"\n\n" + Self.fetch("Fetch"),
            "internal/dotted/d.go": "package dotted\n\nimport \"net/http\"\n\n" + Self.fetch("Dotted"),
            "internal/linked/l.go": "package linked\n\nimport \"net/http\"\n\n" + Self.fetch("fetch"),
            "internal/stale/s.go": "package stale\n\nimport \"net/http\"\n\nfunc outdated(u string) int { return fetchStale(u) }\n\n"
                + Self.fetch("fetchStale"),
        ]
        let findings = try lintModule(files, folder: "unreferenced-graph", packages: 5, checks: [Checks.bodyNotClosed])
        let found = Self.confidences(findings)
        #expect(found == ["viaExpression": .high, "Fetch": .high, "Dotted": .high, "fetch": .high, "fetchStale": .low], "\(found)")
        // Linting one package from below the module's root still searches the whole module.
        let worker = TestPaths.scratch.appendingPathComponent("unreferenced-graph/internal/renamedimpl").path
        let loaded = PackageLoader.load([worker], context: BuildContext())
        var session = LintSession(Linter(checks: [Checks.bodyNotClosed]))
        for package in loaded.packages { session.add(package) }
        #expect(Self.confidences(session.finish()) == ["Fetch": .high])
    }

    @Test func identifierMentionsSkipCommentsDeclarationsAndIgnoredBodies() throws {
        let root = TestPaths.scratch.appendingPathComponent("identifier-mentions")
        try? FileManager.default.removeItem(at: root)
        let directory = root.appendingPathComponent("p")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("a.go", "package p\n\n// helper is named only here.\nvar s = \"helper\"\n\nfunc helper() {}\n")
        let query = IdentifierMentions.Query(name: "helper", directory: directory.path, scope: .directory)
        #expect(IdentifierMentions.find([query], under: [root.path]).isEmpty)
        let use = "package p\n\nfunc use() { helper() }\n"
        try write("use.go", use)
        #expect(IdentifierMentions.find([query], under: [root.path]) == [query])
        // The body of a function known unreached says nothing.
        let body = Int32(Array(use.utf8).firstIndex(of: UInt8(ascii: "{"))!)..<Int32(use.utf8.count)
        let file = IdentifierMentions.canonicalPath(directory.appendingPathComponent("use.go").path)!
        #expect(IdentifierMentions.find([query], under: [root.path], ignoring: [file: [body]]).isEmpty)
        // Not Go at all: searched as bytes.
        try write("broken.go", "package p\n\u{0}helper")
        #expect(IdentifierMentions.find([query], under: [root.path], ignoring: [file: [body]]) == [query])
    }
}
