import Foundation
import Testing
import LeakscopeTestSupport

/// Sample values at the edges of Int64 and nonsense flag values: leakscope must neither trap nor
/// differ from `go tool pprof`, whose int64 arithmetic wraps (its `abs64(MinInt64)` stays negative).
@Suite struct EdgeNumberTests {
    static let shapes: [(name: String, samples: [(stack: [Int], values: [Int64])])] = [
        ("min", [([0, 1], [1, .min]), ([1, 2], [1, 5])]),
        ("max", [([0, 1], [1, .max]), ([1, 2], [1, .max])]),
        ("minflat", [([0], [.min, .min]), ([1, 2], [3, 7])]),
        ("mixed", [([0, 1, 2], [.max, .max]), ([0, 2], [.min, .min]), ([2], [1, 1])]),
    ]
    static let commands = [["-top"], ["-top", "-cum"], ["-tree"], ["-peek=."], ["-traces"], ["-text", "-sample_index=0"],
                           ["-top", "-nodecount=1"], ["-tags"]]

    @Test(arguments: shapes.map(\.name))
    func edgeValuesMatchGoToolPprof(_ name: String) async throws {
        let shape = Self.shapes.first { $0.name == name }!
        let path = try Hardening.file(Hardening.profile(shape.samples), name: "\(name).pb.gz")
        for command in Self.commands {
            let expected = try await Hardening.goPprof(command + [path])
            let actual = try await LeakscopeBinary.run(["pprof"] + command + [path])
            #expect(actual.exitCode == expected.exitCode, "\(command) \(actual.summary)")
            #expect(actual.stdoutText == expected.stdoutText, "\(name) \(command)")
        }
    }

    /// go tool pprof accepts NaN, infinities and negative fractions (Go's flag package parses them and
    /// pprof never checks), so `leakscope pprof` accepts them too and prints what pprof prints; see
    /// docs/HARDENING.md. Values go tool pprof rejects are usage errors here too.
    @Test(arguments: ["-nodefraction=NaN", "-nodefraction=inf", "-edgefraction=NaN", "-nodefraction=-1",
                      "-nodecount=-1", "-nodecount=-5", "-divide_by=NaN", "-divide_by=inf", "-divide_by=0",
                      "-unit=parsecs", "-nodefraction=1e400", "-nodecount=99999999999999999999"])
    func oddFlagValuesMatchGoToolPprof(_ flag: String) async throws {
        let path = try Hardening.file(Hardening.profile(Self.shapes[1].samples), name: "max.pb.gz")
        let expected = try await Hardening.goPprof(["-top", flag, path])
        let actual = try await LeakscopeBinary.run(["pprof", "-top", flag, path])
        #expect(actual.exitCode == expected.exitCode, "\(flag): \(actual.summary)")
        #expect(actual.stdoutText == expected.stdoutText, "\(flag)")
        #expect(actual.exitCode < 128, "\(flag) crashed: \(actual.summary)")
    }

    @Test func stackDepthIsCapped() async throws {
        let run = try await LeakscopeBinary.run(["diagnose", "--stack-depth", "9223372036854775807",
                                                 TestPaths.packageRoot.appendingPathComponent("examples/captures/shop-healthy").path])
        #expect(run.exitCode == 2, "\(run.summary)")
        #expect(run.stderrText.contains("--stack-depth"))
    }

    @Test func usageErrorsExit2() async throws {
        let unknown = try await LeakscopeBinary.run(["diagnose", "--no-such-flag"])
        #expect(unknown.exitCode == 2, "\(unknown.summary)")
        let missing = try await LeakscopeBinary.run(["capture"])
        #expect(missing.exitCode == 2, "\(missing.summary)")
        let help = try await LeakscopeBinary.run(["diagnose", "--help"])
        #expect(help.exitCode == 0 && help.stdoutText.contains("USAGE"), "\(help.summary)")
    }

    @Test func gctraceClaimingInt64MaxHeapDoesNotTrap() async throws {
        let line = "gc 1 @0.010s 1%: 0.010+0.20+0.003 ms clock, 0.040+0.1/0.2/0.3+0.012 ms cpu, 9223372036854775807->9223372036854775807->9223372036854775807 MB, 9223372036854775807 MB goal, 0 MB stacks, 0 MB globals, 4 P\n"
        let path = try Hardening.file(Array(String(repeating: line, count: 3).utf8), name: "gc.log")
        for arguments in [["gctrace", path], ["diagnose", path], ["diagnose", "--format", "json", path]] {
            let run = try await LeakscopeBinary.run(arguments)
            #expect(run.exitCode == 0 || run.exitCode == 2, "\(arguments): \(run.summary)")
        }
    }
}
