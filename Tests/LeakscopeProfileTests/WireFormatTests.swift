import Foundation
import Testing
@testable import LeakscopeProfile

/// Hand-built wire layouts: packed or unpacked repeated fields, fields in any order,
/// unknown fields of every wire type. Each variant must decode to the same profile,
/// and `go tool pprof -raw` must read every variant the same as well.
@Suite struct WireFormatTests {
    static let variants: [HandBuiltProfile] = [
        HandBuiltProfile(packed: true),
        HandBuiltProfile(packed: false),
        HandBuiltProfile(packed: true, reordered: true),
        HandBuiltProfile(packed: false, reordered: true, unknown: true),
        HandBuiltProfile(packed: true, unknown: true),
    ]

    @Test func everyLayoutDecodesToTheSameProfile() throws {
        let reference = try Profile.parse(HandBuiltProfile().bytes)
        for variant in Self.variants.dropFirst() {
            #expect(try Profile.parse(variant.bytes) == reference, "\(variant)")
        }
        // What the hand-built fields say, resolved to indices.
        #expect(reference.sampleTypes == [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")])
        #expect(reference.samples.map(\.values) == [[7, 70_000_000], [3, 30_000_000]])
        #expect(reference.samples.map(\.locations) == [[1, 0], [0]])
        #expect(reference.samples[0].labels == [.string("worker", "alpha"), .number("bytes", 4096)])
        #expect(reference.locations.map(\.mapping) == [0, 0])
        #expect(reference.locations[1].lines == [Line(function: 1, line: 20)])
        #expect(reference.functions.map(\.name) == ["main.main", "main.work"])
        #expect(reference.mappings[0].file == "/bin/app")
        #expect(reference.comments == ["a comment"])
        #expect(reference.defaultSampleType == "cpu")
        #expect(reference.periodType == ValueType(type: "cpu", unit: "nanoseconds"))
    }

    @Test func pprofReadsEveryLayoutTheSame() async throws {
        let directory = try CodecSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var outputs: [String] = []
        for (index, variant) in Self.variants.enumerated() {
            let file = directory.appendingPathComponent("variant\(index).pb")
            try Data(variant.bytes).write(to: file)
            outputs.append(try await CodecSupport.pprofRaw(file))
        }
        #expect(outputs[0].contains("main.work"))
        #expect(Set(outputs).count == 1)

        // And our canonical encoding of the decoded profile reads the same too.
        let ours = directory.appendingPathComponent("ours.pb.gz")
        try Data(try Profile.parse(Self.variants[3].bytes).encodeGzipped()).write(to: ours)
        #expect(try await CodecSupport.pprofRaw(ours) == outputs[0])
    }

    @Test func encodingIsCanonicalWhateverTheInputLayout() throws {
        let encodings = try Self.variants.map { try Profile.parse($0.bytes).encode() }
        #expect(Set(encodings).count == 1)
    }

    @Test func labelWithoutStringOrNumberIsDroppedLikePprof() throws {
        // A label with only a key (str = 0, num = 0, num_unit = 0) is dropped by pprof's decoder.
        var bytes = WireBuilder { w in
            w.message(1) { $0.uint(1, 1); $0.uint(2, 2) }
            w.message(2) { s in
                s.uint(2, 5)
                s.message(3) { $0.uint(1, 3) }
                s.message(3) { $0.uint(1, 3); $0.uint(4, 2) }
            }
            for string in ["", "samples", "count", "k"] { w.string(6, string) }
        }.bytes
        let profile = try Profile.parse(bytes)
        #expect(profile.samples[0].labels == [.number("k", 0, unit: "count")])
        bytes.removeAll()
    }

    @Test func gzipRoundTripsAndAcceptsMultipleMembers() throws {
        let payload = HandBuiltProfile().bytes
        let once = Gzip.compress(payload)
        #expect(try Gzip.decompress(once) == payload)
        #expect(try Gzip.decompress(once + Gzip.compress(payload)) == payload + payload)
        #expect(try Profile.parse(once) == Profile.parse(payload))
    }
}
