import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// Thousands of seeded random corruptions of real profiles (bit flips, truncations,
/// splices, inserted and overwritten bytes) never crash: each either parses to a
/// valid profile that round-trips through our encoder, or throws a `ProfileError`
/// whose offset lies inside the input.
@Suite struct MutationTests {
    static func mutate(_ input: [UInt8], donor: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return bytes }
        switch random.next() % 6 {
        case 0:  // flip a few bits
            for _ in 0..<(1 + Int(random.next() % 4)) {
                bytes[Int(random.next() % UInt64(bytes.count))] ^= 1 << UInt8(random.next() % 8)
            }
        case 1:  // truncate
            bytes.removeSubrange(Int(random.next() % UInt64(bytes.count))...)
        case 2:  // splice in a chunk of another (or the same) profile
            let from = Int(random.next() % UInt64(donor.count))
            let length = min(donor.count - from, 1 + Int(random.next() % 64))
            let at = Int(random.next() % UInt64(bytes.count))
            let removed = min(bytes.count - at, Int(random.next() % 64))
            bytes.replaceSubrange(at..<(at + removed), with: donor[from..<(from + length)])
        case 3:  // insert random bytes
            let at = Int(random.next() % UInt64(bytes.count + 1))
            bytes.insert(contentsOf: (0..<(1 + random.next() % 8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        case 4:  // overwrite with a run of continuation bytes (huge varints and lengths)
            let at = Int(random.next() % UInt64(bytes.count))
            for index in at..<min(bytes.count, at + 1 + Int(random.next() % 12)) { bytes[index] = 0xFF }
        default:  // duplicate a region (repeated fields, duplicate IDs)
            let from = Int(random.next() % UInt64(bytes.count))
            let length = min(bytes.count - from, 1 + Int(random.next() % 128))
            bytes.insert(contentsOf: bytes[from..<(from + length)], at: from)
        }
        return bytes
    }

    static func inputs() throws -> [[UInt8]] {
        var inputs: [[UInt8]] = []
        for path in ["internal/report/testdata/sample.cpu", "internal/driver/testdata/go.nomappings.crash",
                     "internal/driver/testdata/cppbench.cpu_no_samples_type"] {
            let compressed = try CodecSupport.corpusFile(path)
            inputs.append(try Gzip.decompress(compressed))
            inputs.append(compressed)
        }
        inputs.append(HandBuiltProfile(packed: false, reordered: true, unknown: true).bytes)
        return inputs
    }

    @Test(arguments: 0..<6)
    func randomCorruptionsNeverCrash(_ shard: Int) throws {
        let inputs = try Self.inputs()
        var random = SplitMix64(seed: 0x5EED_0000 + UInt64(shard))
        var parsed = 0, rejected = 0
        for _ in 0..<1000 {
            let input = inputs[Int(random.next() % UInt64(inputs.count))]
            let donor = inputs[Int(random.next() % UInt64(inputs.count))]
            var mutated = Self.mutate(input, donor: donor, &random)
            if random.next() % 4 == 0 { mutated = Self.mutate(mutated, donor: donor, &random) }
            let profile: Profile
            do throws(ProfileError) {
                profile = try Profile.parse(mutated)
            } catch {
                rejected += 1
                #expect(!error.message.isEmpty)
                if let offset = error.offset {
                    // Offsets point into the input (for gzip data, into what it inflated to).
                    #expect(offset >= 0 && offset <= max(mutated.count, 64 << 20))
                }
                continue
            }
            parsed += 1
            #expect(throws: Never.self) { try profile.validate() }
            #expect(try Profile.decodeProto(profile.encode()) == profile)
        }
        #expect(parsed + rejected == 1000)
        // Both outcomes occur: the corruptions are neither all harmless nor all fatal.
        #expect(parsed > 0 && rejected > 0, "parsed \(parsed), rejected \(rejected)")
    }
}
