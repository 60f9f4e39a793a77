import Testing
import Foundation
import LeakscopeTestSupport
@testable import LeakscopePprofDriver

/// Command lines that `go tool pprof` refuses: our refusal must be the very line pprof prints
/// (it prints usage around some of them, so we look for the line among its stderr lines).
@Suite struct FlagErrorsOracleTests {
    static let refusedLines = [
        "-top -nosuchflag x.pb.gz",
        "-nodecount=abc -top x.pb.gz",
        "-nodecount=99999999999999999999 -top x.pb.gz",
        "-nodefraction=1/2 -top x.pb.gz",
        "-trim=maybe -top x.pb.gz",
        "-top -focus",
        "---top x.pb.gz",
        "-=x -top x.pb.gz",
        "-top -text x.pb.gz",
        "-top -peek=main x.pb.gz",
        "-top -base a.pb.gz -diff_base b.pb.gz x.pb.gz",
        "-top -normalize x.pb.gz",
        "-top -no_browser x.pb.gz",
        "-top -http=127.0.0.1:0 x.pb.gz",
        "-top",
        "-top -lines -files x.pb.gz",
    ]

    @Test(arguments: refusedLines)
    func refusalMatchesGoToolPprof(line: String) async throws {
        let arguments = line.split(separator: " ").map(String.init)
        let pprof = try await GoPprof.run(arguments)
        #expect(pprof.exitCode != 0, "go tool pprof accepted \(line)")
        let pprofLines = pprof.stderrText.split(separator: "\n").map(String.init)

        let ours: String
        do {
            _ = try PprofInvocation.parse(arguments)
            Issue.record("leakscope accepted \(line)")
            return
        } catch {
            ours = error.description
        }
        if ours.hasPrefix("conflicting options set: ") {
            // pprof lists the choices in Go map order, which varies from run to run.
            let pprofConflict = pprofLines.first { $0.hasPrefix("conflicting options set: ") }
            #expect(pprofConflict.map(sortedChoices) == sortedChoices(ours), "pprof: \(pprof.stderrText)")
        } else {
            #expect(pprofLines.contains(ours), "ours: \(ours)\npprof: \(pprof.stderrText)")
        }
    }

    @Test func theBinaryReportsFlagErrorsOnOneLineThenUsageAndExits2() async throws {
        let result = try await LeakscopeBinary.run(["pprof", "-top", "-nosuchflag", "x.pb.gz"])
        #expect(result.exitCode == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderrText.split(separator: "\n")
        #expect(lines.first == "leakscope: flag provided but not defined: -nosuchflag")
        #expect(lines.dropFirst().first?.hasPrefix("usage: leakscope pprof") == true)
    }

    @Test func helpGoesToStdoutAndExits0() async throws {
        for flag in ["-h", "-help", "--help"] {
            let result = try await LeakscopeBinary.run(["pprof", flag])
            #expect(result.exitCode == 0)
            #expect(result.stdoutText.hasPrefix("usage: leakscope pprof"))
            #expect(result.stdoutText.contains("-sample_index"))
        }
    }

    private func sortedChoices(_ line: String) -> [String] {
        line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }.split(separator: " ").map(String.init).sorted()
    }
}

/// Unusual but valid Go flag syntax: `go tool pprof` and `leakscope pprof` must read each command
/// line the same way, so their reports must be identical.
@Suite struct FlagSyntaxOracleTests {
    static let commandLines = [
        "-top -nodecount=0x3",
        "-top -nodecount=0o5",
        "-top -nodecount=07",
        "-top -nodecount=1_0",
        "-top -nodecount=+4",
        "--top --nodecount 2",
        "-top=true -cum=T -nodecount=5",
        "-top -cum=1 -cum=0 -nodecount=5",
        "-top -nodefraction=5e-2",
        "-top -nodefraction=.25",
        "-top -trim=F -nodecount=3",
        "-top -sample_index=1 -sample_index=alloc_objects",
        "-traces -focus remember -focus=compress",
        "-top -alloc_objects -inuse_space",
        "-comments -add_comment=checked-by-leakscope",
        "-top -all_frames",
        "-top -symbolize=none -buildid=x -tools=/nonexistent -source_path=/src -trim_path=/x -intel_syntax",
    ]

    @Test(arguments: commandLines)
    func sameReportAsGoToolPprof(line: String) async throws {
        let heap = CLIEndToEndTests.heap2
        let arguments = line.split(separator: " ").map(String.init) + [heap]
        let ours = try await LeakscopeBinary.run(["pprof"] + arguments)
        let pprof = try await GoPprof.run(arguments)
        #expect(pprof.exitCode == 0, "\(pprof.stderrText)")
        #expect(ours.exitCode == 0, "\(ours.stderrText)")
        #expect(ours.stdoutText == pprof.stdoutText)
    }

    @Test func multipleValueSelectionWarningIsPprofs() async throws {
        let arguments = ["-top", "-alloc_objects", "-inuse_space", CLIEndToEndTests.heap2]
        let ours = try await LeakscopeBinary.run(["pprof"] + arguments)
        let pprof = try await GoPprof.run(arguments)
        // pprof tries -inuse_space before -alloc_objects whatever their order on the command line.
        #expect(ours.stderrText == "leakscope: Multiple value selections, ignoring -alloc_objects\n")
        #expect(pprof.stderrText.contains("Multiple value selections, ignoring -alloc_objects"))
    }
}
