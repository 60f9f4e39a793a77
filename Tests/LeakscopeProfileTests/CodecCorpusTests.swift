import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// Real profiles decode, re-encode, and read back identically under `go tool pprof -raw`.
@Suite struct CodecCorpusTests {
    @Test(arguments: CodecSupport.corpusProtos)
    func corpusProfileRoundTripsThroughPprof(_ path: String) async throws {
        let input = try CodecSupport.corpusFile(path)
        let profile = try Profile.parse(input)
        #expect(!profile.sampleTypes.isEmpty)

        let directory = try CodecSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = TestPaths.pprofCorpus.appendingPathComponent(path)
        let ours = directory.appendingPathComponent("ours.pb.gz")
        try Data(profile.encodeGzipped()).write(to: ours)

        let expected = try await CodecSupport.pprofRaw(original)
        let actual = try await CodecSupport.pprofRaw(ours)
        #expect(!expected.isEmpty)
        #expect(actual == expected)

        // Our own decoder reads our encoding back to the same model.
        #expect(try Profile.parse(profile.encodeGzipped()) == profile)
    }

    /// pprof's own `-proto` writer, after gunzip, is byte-identical to our encoder.
    @Test(arguments: CodecSupport.corpusProtos)
    func encodingMatchesPprofProtoOutput(_ path: String) async throws {
        let original = TestPaths.pprofCorpus.appendingPathComponent(path)
        let pprofProto = try await CodecSupport.go(["tool", "pprof", "-proto", original.path])
        let pprofBytes = try Gzip.decompress([UInt8](pprofProto))
        let reparsed = try Profile.parse(pprofBytes)
        #expect(reparsed.encode() == pprofBytes)
    }
}
