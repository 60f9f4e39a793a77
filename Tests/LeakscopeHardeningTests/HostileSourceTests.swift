import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeTestSupport

/// Go source nested deeper than any stack holds: `leakscope lint` must refuse the file with one
/// line naming it, as go/parser does past its own limit, and never die of a stack overflow. Each
/// shape is linted just under `GoParser.maxNesting` (the checks walk the whole tree) and just over.
@Suite struct HostileSourceTests {
    /// One way to nest: the declarations for `levels` levels, and how much parser nesting a level costs.
    struct Shape: Sendable, CustomTestStringConvertible {
        let name: String
        let perLevel: Int
        let declarations: @Sendable (Int) -> String
        var testDescription: String { name }

        init(_ name: String, perLevel: Int, _ declarations: @escaping @Sendable (Int) -> String) {
            self.name = name
            self.perLevel = perLevel
            self.declarations = declarations
        }
    }

    static func repeated(_ text: String, _ count: Int) -> String { String(repeating: text, count: count) }

    static let shapes: [Shape] = [
        Shape("method chain", perLevel: 2) { "var x = T{}" + repeated(".M()", $0) + "\n" },
        Shape("method chain in a go statement", perLevel: 2) { "func f() {\n\tgo T{}" + repeated(".M()", $0) + "\n}\n" },
        Shape("nested calls", perLevel: 2) { "func g(int) int { return 0 }\nvar x = " + repeated("g(", $0) + "0" + repeated(")", $0) + "\n" },
        Shape("blocks", perLevel: 2) { "func f() {\n" + repeated("{", $0) + repeated("}", $0) + "\n}\n" },
        Shape("if in if", perLevel: 3) { "func f(b bool) {\n" + repeated("if b {\n", $0) + repeated("}\n", $0) + "}\n" },
        Shape("else if", perLevel: 1) { "func f(b bool) {\n\tif b {\n\t}" + repeated(" else if b {\n\t}", $0) + "\n}\n" },
        Shape("labels", perLevel: 1) { "func f() {\n" + (0..<$0).map { "L\($0): " }.joined() + "\n}\n" },
        Shape("parentheses", perLevel: 1) { "var x = " + repeated("(", $0) + "1" + repeated(")", $0) + "\n" },
        Shape("unary operators", perLevel: 1) { "var x = " + repeated("- ", $0) + "1\n" },
        Shape("composite literals", perLevel: 1) { "var x = [][]int{" + repeated("{", $0) + repeated("}", $0) + "}\n" },
        Shape("keyed literals", perLevel: 1) { "var x = map[int]any{1: " + repeated("{1: ", $0) + "{}" + repeated("}", $0) + "}\n" },
        Shape("pointer types", perLevel: 1) { "var x " + repeated("*", $0) + "int\n" },
        Shape("map types", perLevel: 1) { "var x " + repeated("map[int]", $0) + "int\n" },
        Shape("closures called", perLevel: 3) {
            "var x = " + repeated("func() int { return ", $0) + "0" + repeated(" }()", $0) + "\n"
        },
        Shape("goroutines in goroutines", perLevel: 3) { "func f() {\n" + repeated("go func() {\n", $0) + repeated("}()\n", $0) + "}\n" },
    ]

    /// A module holding `p.go`.
    static func module(_ declarations: String) throws -> URL {
        let directory = try Hardening.directory("nesting")
        try Data("module example.com/nest\n\ngo 1.21\n".utf8).write(to: directory.appendingPathComponent("go.mod"))
        let source = "package p\n\ntype T struct{}\n\nfunc (T) M() T { return T{} }\n\n" + declarations
        try Data(source.utf8).write(to: directory.appendingPathComponent("p.go"))
        return directory
    }

    @Test(arguments: shapes)
    func deepestAcceptedNestingLints(_ shape: Shape) async throws {
        let levels = (GoParser.maxNesting - 20) / shape.perLevel
        let module = try Self.module(shape.declarations(levels))
        let run = try await LeakscopeBinary.run(["lint", module.path + "/..."])
        #expect(run.exitCode == 0, "\(shape.name) × \(levels): \(run.summary)")
        #expect(run.stderrText.isEmpty, "\(run.stderrText)")
    }

    @Test(arguments: shapes)
    func deeperNestingIsRefusedWithOneLine(_ shape: Shape) async throws {
        let levels = GoParser.maxNesting / shape.perLevel + 10
        let module = try Self.module(shape.declarations(levels))
        let run = try await LeakscopeBinary.run(["lint", module.path + "/..."])
        Hardening.expectOneLine(run, exit: 2, mentions: ["p.go:", "exceeded max nesting depth (\(GoParser.maxNesting))", "syntax error"])
    }

    /// Twenty times the limit costs no more than the limit: the parser stops at it.
    @Test func farDeeperNestingStopsAtTheLimit() async throws {
        let module = try Self.module(Self.shapes[0].declarations(GoParser.maxNesting * 10))
        let measured = try await MeasuredRun.leakscope(["lint", module.path + "/..."])
        Hardening.expectOneLine(measured.result, exit: 2, mentions: ["exceeded max nesting depth"])
        #expect(measured.peakMiB > 0 && measured.peakMiB < 400, "\(measured.peakMiB) MiB")
    }

    /// Generated code concatenates thousands of strings (a 2,460-line YAML constant in openshift's
    /// ci-tools): a chain of binary operators goes up to go/parser's own limit, and the package's
    /// other files are still checked. Past the limit the file alone is refused.
    @Test func longOperatorChainsAreGeneratedCodeNotHostile() async throws {
        let leak = """
            package p

            import "errors"

            // Fetch returns early on error; the goroutine then blocks on its send forever.
            func Fetch(fail bool) (int, error) {
            \tresult := make(chan int)
            \tgo func() { result <- 42 }()
            \tif fail {
            \t\treturn 0, errors.New("failed")
            \t}
            \treturn <-result, nil
            }

            """
        func concatenation(_ terms: Int) -> String {
            "const Reference = \"line\\n\"" + String(repeating: " +\n\t\"line\\n\"", count: terms - 1) + "\n"
        }
        let accepted = try Self.module(concatenation(GoParser.maxOperatorChain - 10))
        try Data(leak.utf8).write(to: accepted.appendingPathComponent("fetch.go"))
        let run = try await LeakscopeBinary.run(["lint", accepted.path + "/..."])
        #expect(run.exitCode == 1, "\(run.summary)")
        #expect(run.stdoutText.contains("fetch.go:8:"), "\(run.stdoutText)")
        #expect(run.stderrText.isEmpty, "\(run.stderrText)")

        let refused = try Self.module(concatenation(GoParser.maxOperatorChain + 10))
        try Data(leak.utf8).write(to: refused.appendingPathComponent("fetch.go"))
        let tooLong = try await LeakscopeBinary.run(["lint", refused.path + "/..."])
        Hardening.expectOneLine(tooLong, exit: 2, mentions: ["p.go:", "exceeded max nesting depth (\(GoParser.maxOperatorChain) binary operators)"])
        #expect(tooLong.stdoutText.contains("fetch.go:8:"), "the other file goes unchecked: \(tooLong.stdoutText)")
    }
}
