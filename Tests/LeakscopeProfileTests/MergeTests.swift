import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// `Profile.merge` and `scale` against `go tool pprof`: the driver merges several
/// sources (and `-base` profiles scaled by -1) with `profile.Merge`, and `-raw` of
/// our merged profile, written back as a single source, must print the same.
@Suite struct MergeTests {
    static func load(_ url: URL) throws -> Profile {
        try Profile.parse([UInt8](try Data(contentsOf: url)))
    }

    static func rawOfOurs(_ profile: Profile, in directory: URL) async throws -> String {
        let file = directory.appendingPathComponent("merged-\(UUID().uuidString).pb.gz")
        try Data(profile.encodeGzipped()).write(to: file)
        return try await CodecSupport.pprofRaw(file)
    }

    @Test(arguments: [["heap", "allocs"], ["cpu", "cpu"], ["allocs", "heap", "allocs"], ["mutex", "block"]])
    func mergeMatchesPprofSources(_ names: [String]) async throws {
        var files: [URL] = []
        for name in names { files.append(try await CodecGoProfileTests.profile(name)) }
        var profiles = try files.map(Self.load)
        try Profile.compatibilizeSampleTypes(&profiles)
        let merged = try Profile.merge(profiles)
        try merged.validate()
        let directory = try CodecSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = String(decoding: try await CodecSupport.go(["tool", "pprof", "-raw"] + files.map(\.path)), as: UTF8.self)
        #expect(try await Self.rawOfOurs(merged, in: directory) == expected)
    }

    @Test(arguments: [("heap", "allocs"), ("cpu", "cpu")])
    func baseMatchesPprof(_ source: String, _ base: String) async throws {
        let sourceFile = try await CodecGoProfileTests.profile(source)
        let baseFile = try await CodecGoProfileTests.profile(base)
        var baseProfile = try Self.load(baseFile)
        baseProfile.scale(by: -1)
        let merged = try Profile.merge([try Self.load(sourceFile), baseProfile])
        let directory = try CodecSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = String(decoding: try await CodecSupport.go(["tool", "pprof", "-raw", "-base", baseFile.path, sourceFile.path]), as: UTF8.self)
        #expect(try await Self.rawOfOurs(merged, in: directory) == expected)
        if source == base {
            // A profile minus itself cancels out completely.
            #expect(merged.samples.isEmpty)
        }
    }

    /// `-normalize` scales the source to the base's totals before the base is subtracted;
    /// `-diff_base` tags base samples `pprof::base=true` so they never merge with source ones.
    @Test(arguments: [["-normalize"], ["-diff_base"], ["-normalize", "-diff_base"]])
    func normalizeAndDiffBaseMatchPprof(_ flags: [String]) async throws {
        let sourceFile = try await CodecGoProfileTests.profile("allocs")
        let baseFile = try await CodecGoProfileTests.profile("heap")
        var source = try Self.load(sourceFile)
        var base = try Self.load(baseFile)
        let diff = flags.contains("-diff_base")
        if diff {
            for index in base.samples.indices {
                base.samples[index].labels.append(.string("pprof::base", "true"))
            }
        }
        if flags.contains("-normalize") {
            try source.normalize(to: base)
        }
        base.scale(by: -1)
        let merged = try Profile.merge([source, base])
        let directory = try CodecSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let baseFlag = diff ? "-diff_base" : "-base"
        let extra = flags.filter { $0 == "-normalize" }
        let expected = String(decoding: try await CodecSupport.go(["tool", "pprof", "-raw"] + extra + [baseFlag, baseFile.path, sourceFile.path]), as: UTF8.self)
        #expect(try await Self.rawOfOurs(merged, in: directory) == expected)
    }

    @Test func mergeOfCorpusCPUProfilesMatchesPprof() async throws {
        let paths = ["internal/proftest/testdata/large.cpu", "internal/proftest/testdata/large.cpu"]
        let files = paths.map { TestPaths.pprofCorpus.appendingPathComponent($0) }
        let merged = try Profile.merge(try files.map(Self.load))
        let directory = try CodecSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = String(decoding: try await CodecSupport.go(["tool", "pprof", "-raw"] + files.map(\.path)), as: UTF8.self)
        #expect(try await Self.rawOfOurs(merged, in: directory) == expected)
    }

    @Test func incompatibleProfilesDoNotMerge() async throws {
        let cpu = try await Self.load(try CodecGoProfileTests.profile("cpu"))
        let heap = try await Self.load(try CodecGoProfileTests.profile("heap"))
        let error = try #require(throws: ProfileError.self) { try Profile.merge([cpu, heap]) }
        #expect(error.kind == .invalid)
        #expect(error.message.hasPrefix("incompatible period types cpu/nanoseconds and space/bytes"))
    }

    @Test func scaleRoundsHalfAwayFromZeroAndDropsZeroedSamples() async throws {
        var profile = try await Self.load(try CodecGoProfileTests.profile("heap"))
        let original = profile
        try profile.scale(by: [0.5, 1, 0, 0])
        for sample in profile.samples {
            #expect(sample.values[2] == 0 && sample.values[3] == 0)
        }
        // Kept exactly the samples whose halved object count is non-zero.
        let expectedKept = original.samples.filter { ($0.values[0] != 0 && (Double($0.values[0]) * 0.5).rounded() != 0) }
        #expect(profile.samples.count == expectedKept.count)
        #expect(profile.samples.map { $0.values[0] } == expectedKept.map { Int64((Double($0.values[0]) * 0.5).rounded()) })
        #expect(throws: ProfileError.self) { try profile.scale(by: [1, 2]) }
    }
}
