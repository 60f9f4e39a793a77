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
