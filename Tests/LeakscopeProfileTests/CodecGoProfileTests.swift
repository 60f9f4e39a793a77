import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// Profiles written by a real Go program (Tests/Fixtures/go/codec) decode, re-encode
/// byte-identically to pprof's own writer, and read back the same under `go tool pprof -raw`.
@Suite struct CodecGoProfileTests {
    static let names = ["cpu", "heap", "allocs", "goroutine", "threadcreate", "mutex", "block"]

    /// The fixture's profiles, built and run once per test process (`GoFixtures` caches both).
    static func profile(_ name: String, go119: Bool = false) async throws -> URL {
        let files = try await CodecSupport.goFixtureProfiles(toolchain: go119 ? CodecSupport.go119 : "go")
        return try #require(files.first { $0.deletingPathExtension().lastPathComponent == name }, "fixture wrote no \(name) profile")
    }

    @Test(arguments: names, [false, true])
    func goProfileRoundTripsThroughPprof(_ name: String, go119: Bool) async throws {
        let file = try await Self.profile(name, go119: go119)
        let profile = try Profile.parse([UInt8](try Data(contentsOf: file)))
        #expect(!profile.samples.isEmpty)

        let ours = file.deletingPathExtension().appendingPathExtension("ours.pb.gz")
        try Data(profile.encodeGzipped()).write(to: ours)
        #expect(try await CodecSupport.pprofRaw(ours) == CodecSupport.pprofRaw(file))

        let pprofBytes = try await Gzip.decompress([UInt8](try CodecSupport.go(["tool", "pprof", "-proto", file.path])))
        #expect(try Profile.parse(pprofBytes).encode() == pprofBytes)
    }

    @Test func cpuProfileKeepsPprofLabels() async throws {
        let profile = try await Profile.parse([UInt8](try Data(contentsOf: try Self.profile("cpu"))))
        let labels = Set(profile.samples.flatMap(\.labels))
        #expect(labels.contains(.string("worker", "spin")))
        #expect(labels.contains(.string("worker", "alloc")))
        #expect(profile.sampleTypes.map(\.type) == ["samples", "cpu"])
    }

    @Test func heapProfileHasInlinedFrames() async throws {
        let profile = try await Profile.parse([UInt8](try Data(contentsOf: try Self.profile("heap"))))
        // leaf() is inlined into allocA/allocB: one location, two lines, innermost first.
        let inlined = profile.locations.filter { location in
            location.lines.count > 1 && location.lines.compactMap(\.function).map { profile.functions[$0].name } .first == "main.leaf"
        }
        #expect(!inlined.isEmpty)
        #expect(profile.sampleTypes.map(\.type) == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
    }
}
