import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// `pprofString` against the oracle: `go tool pprof -raw` prints `Profile.String()` of
/// the profile it read, so for real proto profiles (the google/pprof corpus and every
/// profile the Go fixture writes under go1.27 and go1.19) the text must be identical.
@Suite struct ProfileStringTests {
    /// (`internal/driver/testdata/go.nomappings.crash` is left out: for a profile without
    /// mappings pprof's driver adds a fake one before printing, which is not `String()`.)
    static let corpusProtos = [
        "internal/proftest/testdata/large.cpu",
        "internal/report/testdata/sample.cpu",
        "internal/driver/testdata/cppbench.cpu_no_samples_type",
    ]

    static let fixtureProfiles = ["cpu", "heap", "allocs", "goroutine", "threadcreate", "mutex", "block"]

    static func expectSameAsPprof(_ file: URL) async throws {
        let result = try await GoPprof.run(["-raw", file.path])
        #expect(result.succeeded, "\(result.summary)")
        let profile = try Profile.parse([UInt8](try Data(contentsOf: file)))
        let ours = profile.pprofString
        let theirs = result.stdoutText
        if ours != theirs {
            let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
            let b = theirs.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("\(file.lastPathComponent): first difference at line \((first?.offset ?? min(a.count, b.count)) + 1): ours `\(first?.element.0 ?? "")` vs pprof `\(first?.element.1 ?? "")`")
        }
        #expect(ours == theirs)
    }

    @Test(arguments: corpusProtos)
    func corpusProfileMatchesPprofRaw(_ path: String) async throws {
        try await Self.expectSameAsPprof(TestPaths.pprofCorpus.appendingPathComponent(path))
    }

    @Test(arguments: GoToolchain.Kind.allCases, fixtureProfiles)
    func goProfileMatchesPprofRaw(_ kind: GoToolchain.Kind, _ name: String) async throws {
        let dir = try await GoFixtures.output("profiles", toolchain: kind)
        try await Self.expectSameAsPprof(dir.appendingPathComponent(name + ".pb.gz"))
    }

    /// Go's `time.Duration.String()` cut by `%.4v`, checked against values Go itself printed
    /// in the corpus dumps (`Duration: 4h35`, `Duration: 1h40`) and a few hand-made profiles
    /// rendered by `go tool pprof -raw`.
    @Test(arguments: [Int64(1), 999, 1_500, 2_000_000, 1_000_000_000, 61_000_000_000, 16_502_830_000_000, -5_000])
    func durationMatchesGo(_ nanos: Int64) async throws {
        var profile = Profile()
        profile.durationNanos = nanos
        profile.timeNanos = 1_764_243_921_123_456_789 &+ nanos
        profile.periodType = ValueType(type: "cpu", unit: "nanoseconds")
        profile.sampleTypes = [ValueType(type: "samples", unit: "count")]
        profile.samples = [Sample(locations: [], values: [3])]
        var mapping = Mapping(id: 1)
        (mapping.start, mapping.limit, mapping.file) = (0x1000, 0x2000, "/nonexistent/binary")
        profile.mappings = [mapping]
        let dir = TestPaths.scratch.appendingPathComponent("leakscope-pstring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("d.pb.gz")
        try Data(profile.encodeGzipped()).write(to: file)
        try await Self.expectSameAsPprof(file)
    }
}
