import Foundation
import Testing
import LeakscopeTestSupport

/// A go.mod the go command refuses is an input error for `leakscope lint` too: one line naming
/// the file (and the line, where there is one) and exit 2, the module's files still linted. The
/// go command is the oracle: each refused file is refused by `go build`, each accepted one built.
@Suite struct HostileGoModTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let contents: [UInt8]
        /// What the one line must say (after the go.mod's path).
        let mentions: [String]
        var testDescription: String { name }
    }

    /// A leaking function, so that a refused go.mod is seen not to stop the checks.
    static let leakingSource = """
        package lib

        import "sync"

        var mu sync.Mutex

        func Get(fail bool) error {
        \tmu.Lock()
        \tif fail {
        \t\treturn nil
        \t}
        \tmu.Unlock()
        \treturn nil
        }

        """

    /// Bytes no text editor writes: a fixed pseudo-random sequence (the same every run).
    static var noise: [UInt8] {
        var state: UInt32 = 2_463_534_242
        return (0..<300).map { _ in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
    }

    static let refused: [Case] = [
        Case(name: "random bytes", contents: noise, mentions: ["go.mod:1:", "unexpected input character"]),
        Case(name: "misspelt directive", contents: Array("modul example.com/x\ngo 1.21\n".utf8),
             mentions: ["go.mod:1: unknown directive: modul"]),
        Case(name: "no module line", contents: Array("// only a comment\ngo 1.21\n".utf8),
             mentions: ["go.mod: missing module declaration"]),
        Case(name: "unterminated block", contents: Array("module example.com/x\n\ngo 1.21\n\nrequire (\n\texample.com/y v1.0.0\n".utf8),
             mentions: ["go.mod:7: syntax error (unterminated block started at", "go.mod:5:1)"]),
        Case(name: "NUL in the module path", contents: Array("module example.com/x".utf8) + [0] + Array("y\ngo 1.21\n".utf8),
             mentions: ["go.mod:1:21: unexpected input character '\\x00'"]),
    ]

    static let accepted: [(name: String, text: String)] = [
        ("CRLF line ends and a comment", "module example.com/ok // the module\r\n\r\ngo 1.21\r\n"),
        ("module in a block", "module (\n\texample.com/ok\n)\n\ngo 1.21\n"),
        ("quoted path and godebug", "module \"example.com/ok\"\n\ngo 1.23\n\ngodebug default=go1.21\n"),
        ("toolchain line", "module example.com/ok\n\ngo 1.21\n\ntoolchain go1.21.1\n"),
    ]

    static func module(_ goMod: [UInt8]) throws -> URL {
        let directory = try Hardening.directory("gomod")
        try Data(goMod).write(to: directory.appendingPathComponent("go.mod"))
        try Data(leakingSource.utf8).write(to: directory.appendingPathComponent("lib.go"))
        return directory
    }

    @Test(arguments: refused)
    func refusedGoModIsOneLineAndExitTwo(_ refused: Case) async throws {
        let module = try Self.module(refused.contents)
        let run = try await LeakscopeBinary.run(["lint", module.path + "/..."])
        Hardening.expectOneLine(run, exit: 2, mentions: [module.path + "/go.mod"] + refused.mentions)
        // The files are still checked: the finding is printed.
        #expect(run.stdoutText.contains("lib.go:8:") && run.stdoutText.contains("(LS006)"), "\(run.stdoutText)")
        let go = try await GoToolchain.locate(.current).go(["build", "./..."], in: module)
        #expect(!go.succeeded, "go build accepted \(refused.name): \(go.summary)")
    }

    @Test func acceptedGoModsNameTheModule() async throws {
        for accepted in Self.accepted {
            let module = try Self.module(Array(accepted.text.utf8))
            let run = try await LeakscopeBinary.run(["lint", "--format", "json", module.path + "/..."])
            #expect(run.exitCode == 1, "\(accepted.name): \(run.summary)")
            #expect(run.stderrText.isEmpty, "\(accepted.name): \(run.stderrText)")
            #expect(run.stdoutText.contains("\"example.com/ok.Get\""), "\(accepted.name): \(run.stdoutText)")
            let go = try await GoToolchain.locate(.current).go(["build", "./..."], in: module)
            #expect(go.succeeded, "go build refused \(accepted.name): \(go.summary)")
        }
    }

    /// A go.mod over the loader's 64 MB limit is not read (nor taken for absent, which would make
    /// the files another module's): one line, from the file's size alone (a sparse file).
    @Test func oversizedGoModIsRefusedUnread() async throws {
        let module = try Self.module([])
        let handle = try FileHandle(forWritingTo: module.appendingPathComponent("go.mod"))
        try handle.truncate(atOffset: 65 << 20)
        try handle.close()
        let run = try await LeakscopeBinary.run(["lint", module.path + "/..."])
        Hardening.expectOneLine(run, exit: 2, mentions: [module.path + "/go.mod: cannot read: File too large"])
    }
}
