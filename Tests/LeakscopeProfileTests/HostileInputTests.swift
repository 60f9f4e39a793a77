import Foundation
import Testing
@testable import LeakscopeProfile

/// Bad and hostile input fails with a typed error that says what and where, never a
/// crash, and never with memory proportional to what the input merely claims.
@Suite struct HostileInputTests {
    /// A valid two-type profile to damage: string table
    /// 0 "", 1 samples, 2 count, 3 cpu, 4 nanoseconds, 5 main.main.
    static func profile(sample: (inout WireBuilder) -> Void = { s in s.packed(1, [1]); s.packed(2, [1, 2]) },
                        location: (inout WireBuilder) -> Void = { l in l.uint(1, 1); l.message(4) { $0.uint(1, 1) } },
                        function: (inout WireBuilder) -> Void = { f in f.uint(1, 1); f.uint(2, 5) },
                        extra: (inout WireBuilder) -> Void = { _ in }) -> [UInt8] {
        WireBuilder { w in
            w.message(1) { $0.uint(1, 1); $0.uint(2, 2) }
            w.message(1) { $0.uint(1, 3); $0.uint(2, 4) }
            w.message(2, sample)
            w.message(4, location)
            w.message(5, function)
            for string in ["", "samples", "count", "cpu", "nanoseconds", "main.main"] { w.string(6, string) }
            extra(&w)
        }.bytes
    }

    func error(_ bytes: [UInt8], limits: DecodeLimits = .default) throws -> ProfileError {
        try #require(throws: ProfileError.self) { try Profile.parse(bytes, limits: limits) }
    }

    @Test func theUndamagedProfileParses() throws {
        let profile = try Profile.parse(Self.profile())
        #expect(profile.samples == [Sample(locations: [0], values: [1, 2])])
    }

    @Test func emptyInput() throws {
        let error = try error([])
        #expect(error.kind == .truncated)
        #expect(error.message == "empty input")
    }

    @Test func truncatedVarint() throws {
        let bytes = Self.profile() + [0x48, 0xFF, 0xFF]  // time_nanos whose varint never ends
        let error = try error(bytes)
        #expect(error.kind == .truncated)
        #expect(error.message == "input ends inside a varint")
        #expect(error.offset == bytes.count - 2)
    }

    @Test func lengthPastTheBuffer() throws {
        let bytes = Self.profile() + [0x32, 0x10, 0x61]  // a 16-byte string with 1 byte present
        let error = try error(bytes)
        #expect(error.kind == .truncated)
        #expect(error.message.contains("16 bytes (only 1 left)"))
        #expect(error.offset == bytes.count - 2)
    }

    @Test func lengthPastItsEnclosingMessage() throws {
        // Inside a sample, a label claims 9 bytes but the sample has 2 left.
        let error = try error(Self.profile(sample: { s in s.packed(2, [1, 2]); s.tag(3, 2); s.varint(9); s.varint(1) }))
        #expect(error.kind == .malformed)
        #expect(error.message.contains("runs past the end of its enclosing message"))
    }

    @Test func tenByteVarintOverflow() throws {
        let bytes = Self.profile() + [0x48] + [UInt8](repeating: 0xFF, count: 9) + [0x02]
        let error = try error(bytes)
        #expect(error.kind == .malformed)
        #expect(error.message == "varint overflows 64 bits")
        #expect(error.offset == bytes.count - 10)
    }

    @Test func packedFieldClaimingTwoToTheSixtySecondElements() throws {
        // The length prefix claims 2^62 bytes; nothing may be reserved from it.
        var bytes = Self.profile()
        var tail = WireBuilder()
        tail.tag(13, 2)
        tail.varint(1 << 62)
        tail.varint(1)
        bytes += tail.bytes
        let error = try error(bytes)
        #expect(error.kind == .truncated)
        #expect(error.message.contains("4611686018427387904 bytes"))
    }

    @Test func twoToTheSixtyThirdCountsDoNotTrap() throws {
        // Values of 2^63 - 1 and -2^63 decode, merge (wrapping like Go) and scale without trapping.
        let bytes = Self.profile(sample: { s in s.packed(1, [1]); s.packed(2, [UInt64(Int64.max), 1 << 63]) })
        let profile = try Profile.parse(bytes)
        #expect(profile.samples[0].values == [Int64.max, Int64.min])
        let merged = try Profile.merge([profile, profile])
        #expect(merged.samples[0].values == [Int64.max &* 2, 0])
        var scaled = profile
        scaled.scale(by: 4)
        #expect(scaled.samples[0].values == [Int64.min, Int64.min])
    }

    @Test func danglingLocationID() throws {
        let error = try error(Self.profile(sample: { s in s.packed(1, [1, 99]); s.packed(2, [1, 2]) }))
        #expect(error.kind == .invalid)
        #expect(error.message == "sample 0 names location 99, which does not exist")
        #expect(error.offset != nil)
    }

    @Test func danglingFunctionID() throws {
        let error = try error(Self.profile(location: { l in l.uint(1, 1); l.message(4) { $0.uint(1, 7) } }))
        #expect(error.kind == .invalid)
        #expect(error.message == "location 1 line 0 names function 7, which does not exist")
    }

    @Test func danglingMappingID() throws {
        let error = try error(Self.profile(location: { l in l.uint(1, 1); l.uint(2, 5); l.message(4) { $0.uint(1, 1) } }))
        #expect(error.kind == .invalid)
        #expect(error.message == "location 1 names mapping 5, which does not exist")
    }

    @Test func duplicateIDs() throws {
        let bytes = Self.profile(extra: { w in w.message(4) { l in l.uint(1, 1) } })
        let error = try error(bytes)
        #expect(error.kind == .invalid)
        #expect(error.message == "locations 0 and 1 have the same id 1")
    }

    @Test func zeroID() throws {
        let error = try error(Self.profile(function: { f in f.uint(2, 5) }, extra: { w in w.message(5) { $0.uint(1, 1) } }))
        #expect(error.kind == .invalid)
        #expect(error.message == "function 0 has the reserved id 0")
    }

    @Test func stringIndexOutOfRange() throws {
        let error = try error(Self.profile(function: { f in f.uint(1, 1); f.uint(2, 99) }))
        #expect(error.kind == .invalid)
        #expect(error.message == "function 1 name has string index 99, but the string table has 6 entries")
    }

    @Test func firstStringMustBeEmpty() throws {
        let bytes = WireBuilder { w in w.string(6, "x") }.bytes
        let error = try error(bytes)
        #expect(error.kind == .invalid)
        #expect(error.message == "string_table[0] must be \"\", got \"x\"")
    }

    @Test func valueCountMismatch() throws {
        let error = try error(Self.profile(sample: { s in s.packed(1, [1]); s.uint(2, 1) }))
        #expect(error.kind == .invalid)
        #expect(error.message == "sample 0 has 1 values, but the profile has 2 sample types")
    }

    @Test func wrongWireTypeForAKnownField() throws {
        let error = try error(Self.profile(extra: { w in w.fixed64(12, 1) }))
        #expect(error.kind == .malformed)
        #expect(error.message == "Profile.period has wire type fixed64, expected varint")
    }

    @Test func groupWireTypesAreRejected() throws {
        let error = try error(Self.profile() + [0x7B])  // field 15, wire type 3 (start group)
        #expect(error.kind == .malformed)
        #expect(error.message == "unknown wire type 3 for field 15")
    }

    @Test func deepNestingCostsNoRecursion() throws {
        // 100,000 nested length-delimited levels inside an unknown field are skipped
        // in one step: the decoder never descends into fields it does not know.
        let depth = 100_000
        // Payload size of each level, innermost first, then the headers outermost first.
        var sizes = [0]
        for _ in 0..<depth {
            var header = WireBuilder()
            header.tag(1, 2)
            header.varint(UInt64(sizes.last!))
            sizes.append(header.bytes.count + sizes.last!)
        }
        var nested: [UInt8] = []
        nested.reserveCapacity(sizes.last!)
        for level in stride(from: depth - 1, through: 0, by: -1) {
            var header = WireBuilder()
            header.tag(1, 2)
            header.varint(UInt64(sizes[level]))
            nested += header.bytes
        }
        #expect(nested.count == sizes.last!)
        let bytes = Self.profile(sample: { s in s.packed(1, [1]); s.packed(2, [1, 2]); s.bytes(50, nested) })
        #expect(bytes.count > 300_000)
        #expect(try Profile.parse(bytes).samples.count == 1)
    }

    @Test func concatenatedProfiles() throws {
        let one = Self.profile(extra: { w in w.uint(9, 1_700_000_000) })
        let error = try error(one + one)
        #expect(error.kind == .unsupported)
        #expect(error.message == "concatenated profiles detected")
    }

    @Test func htmlPage() throws {
        let page = Array("\n  <!DOCTYPE html>\n<html><body>404 page not found</body></html>\n".utf8)
        let error = try error(page)
        #expect(error.kind == .unrecognized)
        #expect(error.message == "got an HTML page, not a profile")
        let gzipped = try self.error(Gzip.compress(page))
        #expect(gzipped.message == "got an HTML page, not a profile")
    }

    @Test func plainTextIsUnrecognized() throws {
        let error = try error(Array("this is not a profile at all\n".utf8))
        #expect(error.kind == .unrecognized)
    }

    @Test func truncatedGzip() throws {
        let whole = try CodecSupport.corpusFile("internal/report/testdata/sample.cpu")
        let error = try error(Array(whole.prefix(whole.count / 2)))
        #expect(error.kind == .truncated)
        #expect(error.message.hasPrefix("gzip stream is truncated after \(whole.count / 2) compressed bytes"))
    }

    @Test func corruptGzip() throws {
        var bytes = try CodecSupport.corpusFile("internal/report/testdata/sample.cpu")
        for index in 20..<60 { bytes[index] ^= 0x5A }
        let error = try error(bytes)
        #expect(error.kind == .malformed)
        #expect(error.message.hasPrefix("corrupt gzip data"))
    }

    @Test func gzipBombStopsAtTheLimit() throws {
        // A few KB that inflate to 10 MiB.
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 10 << 20))
        #expect(bomb.count < 16 << 10)
        let error = try error(bomb, limits: DecodeLimits(maxDecompressedBytes: 1 << 20))
        #expect(error.kind == .tooLarge)
        #expect(error.message == "gzip data inflates to more than 1048576 bytes; raise it with LEAKSCOPE_LIMITS=decompressed=N")
    }

    @Test func gzipBombOfManyMembersKeepsMemoryBounded() throws {
        // 200 members of 64 MiB of zeros each: 12.5 GiB if inflated, about 13 MB on disk.
        let member = Gzip.compress([UInt8](repeating: 0, count: 64 << 20))
        var bomb: [UInt8] = []
        bomb.reserveCapacity(member.count * 200)
        for _ in 0..<200 { bomb += member }
        let limit = 32 << 20
        let error = try #require(throws: ProfileError.self) { try Gzip.decompress(bomb, maxOutput: limit) }
        #expect(error.kind == .tooLarge)
        // Peak memory of the whole test process stays far below what the bomb expands to.
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #expect(usage.ru_maxrss < 3 << 20, "peak RSS \(usage.ru_maxrss) KiB")
    }

    @Test func tooManySamples() throws {
        let bytes = Self.profile(extra: { w in
            for _ in 0..<3 { w.message(2) { s in s.packed(1, [1]); s.packed(2, [1, 2]) } }
        })
        let error = try error(bytes, limits: DecodeLimits(maxSamples: 2))
        #expect(error.kind == .tooLarge)
        #expect(error.message == "more than 2 samples")
    }
}
