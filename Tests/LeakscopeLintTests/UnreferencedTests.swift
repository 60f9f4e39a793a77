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

    @Test func identifierMentionsSkipCommentsAndReadFiles() throws {
        let root = TestPaths.scratch.appendingPathComponent("identifier-mentions")
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("p"), withIntermediateDirectories: true)
        try "package p\n\n// helper is named only here.\nvar s = \"helper\"\n".write(to: root.appendingPathComponent("p/a.go"), atomically: true, encoding: .utf8)
        try "package p\n\nfunc use() { helper() }\n".write(to: root.appendingPathComponent("p/read.go"), atomically: true, encoding: .utf8)
        // Not Go at all: searched as bytes.
        try "package p\n\u{0}helper".write(to: root.appendingPathComponent("p/broken.go"), atomically: true, encoding: .utf8)
        let query = IdentifierMentions.Query(name: "helper", directory: root.appendingPathComponent("p").path, importPath: nil)
        let skipRead: Set<String> = [root.appendingPathComponent("p/read.go").path]
        #expect(IdentifierMentions.find([query], under: [root.path], skipping: skipRead) == [query])
        let skipBoth = skipRead.union([root.appendingPathComponent("p/broken.go").path])
        #expect(IdentifierMentions.find([query], under: [root.path], skipping: skipBoth).isEmpty)
    }
}
