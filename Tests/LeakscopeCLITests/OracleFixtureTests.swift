import Foundation
import Testing
import LeakscopeTestSupport

/// The Go toolchains and the profiles fixture the oracle sweep stands on: if these fail, fix them first.
@Suite struct OracleFixtureTests {
    @Test(arguments: GoToolchain.Kind.allCases)
    func toolchainIsInstalled(_ kind: GoToolchain.Kind) async throws {
        let toolchain = try await GoToolchain.locate(kind)
        #expect(toolchain.version.hasPrefix("go1."))
        let result = try await toolchain.go(["version"])
        #expect(result.succeeded, "\(result.summary)")
        #expect(result.stdoutText.contains(toolchain.version))
    }

    @Test func pprofOracleRuns() async throws {
        let result = try await GoPprof.run(["-symbolize=none", "-top",
                                      TestPaths.pprofCorpus.appendingPathComponent("internal/report/testdata/sample.cpu").path])
        #expect(result.succeeded, "\(result.summary)")
        #expect(result.stdoutText.contains("main.busyLoop"))
    }

    @Test(arguments: GoToolchain.Kind.allCases)
    func fixtureWritesEveryProfile(_ kind: GoToolchain.Kind) async throws {
        let dir = try await GoFixtures.output("profiles", toolchain: kind)
        let written = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(written == Set(OracleMatrix.fixtureFiles(kind)))
        // goroutineleak is a Go 1.26+ profile: present under go1.27, absent under go1.19.
        #expect(written.contains("goroutineleak.pb.gz") == (kind == .current))
        for file in written {
            let bytes = try Data(contentsOf: dir.appendingPathComponent(file))
            #expect(!bytes.isEmpty, "\(file) is empty")
            if file.hasSuffix(".pb.gz") { #expect(Array(bytes.prefix(2)) == [0x1f, 0x8b], "\(file) is not gzip") }
        }
    }

    /// Small helpers are inlined: their line and their caller's share one location in the proto.
    @Test(arguments: GoToolchain.Kind.allCases)
    func protoProfilesHaveInlinedFrames(_ kind: GoToolchain.Kind) async throws {
        let dir = try await GoFixtures.output("profiles", toolchain: kind)
        for (file, inlined, caller) in [("cpu.pb.gz", "main.mix", "main.hashLoop"),
                                        ("heap.pb.gz", "main.newBuffer", "main.keepSmall")] {
            let raw = try await GoPprof.run(["-symbolize=none", "-raw", dir.appendingPathComponent(file).path])
            try #require(raw.succeeded, "\(raw.summary)")
            let lines = raw.stdoutText.split(separator: "\n")
            // In -raw, a location's first line carries its id and address; inlined callers follow on
            // lines that start with blanks only.
            let inlinedInto = zip(lines, lines.dropFirst()).contains { first, second in
                first.contains(" \(inlined) ") && first.contains("M=")
                    && second.first == " " && second.trimmingCharacters(in: .whitespaces).hasPrefix(caller + " ")
            }
            #expect(inlinedInto, "\(kind) \(file): no location with \(inlined) inlined into \(caller)")
        }
    }

    @Test(arguments: GoToolchain.Kind.allCases)
    func profilesCarryPprofLabels(_ kind: GoToolchain.Kind) async throws {
        let dir = try await GoFixtures.output("profiles", toolchain: kind)
        let cpuTags = try await GoPprof.run(["-symbolize=none", "-tags", dir.appendingPathComponent("cpu.pb.gz").path])
        #expect(cpuTags.stdoutText.contains("phase: Total"), "\(cpuTags.stdoutText)")
        #expect(cpuTags.stdoutText.contains("worker: Total"), "\(cpuTags.stdoutText)")
        let goroutineTags = try await GoPprof.run(["-symbolize=none", "-tags", dir.appendingPathComponent("goroutine.pb.gz").path])
        for expected in ["role: Total", ": server", ": worker", "shard: Total"] {
            #expect(goroutineTags.stdoutText.contains(expected), "\(goroutineTags.stdoutText)")
        }
        let text = try String(contentsOf: dir.appendingPathComponent("goroutine.txt"), encoding: .utf8)
        #expect(text.contains(#"# labels: {"role":"server", "shard":"1"}"#) || text.contains(#"# labels: {"shard":"1", "role":"server"}"#),
                "\(text.prefix(600))")
    }

    @Test func goroutineLeakProfileFindsTheLeakedReceivers() async throws {
        let dir = try await GoFixtures.output("profiles", toolchain: .current)
        let text = try String(contentsOf: dir.appendingPathComponent("goroutineleak.txt"), encoding: .utf8)
        #expect(text.hasPrefix("goroutineleak profile: total 4\n"), "\(text)")
        #expect(text.contains("main.forgottenReceiver"))
        #expect(text.contains(#"# labels: {"role":"leaky"}"#))
    }
}
