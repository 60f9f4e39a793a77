/// The gperftools CPU profile binary (written by Go before 1.9, C++ and Java agents):
/// machine words of 32 or 64 bits in either byte order. Header `0, 3, 0|1, period_µs, 0`
/// (a third word of 1 marks Java), then records `count, depth, pc…` up to the end
/// marker `0, 1, 0`, then a text memory map (or, for Java, symbol lines).
enum CPUProfileParser {
    struct WordReader {
        let text: UnsafeBufferPointer<UInt8>
        let width: Int
        let bigEndian: Bool

        /// The word at `offset`, or nil when fewer than `width` bytes remain.
        @inline(__always) func word(at offset: Int) -> UInt64? {
            guard offset >= 0, offset <= text.count - width else { return nil }
            var v: UInt64 = 0
            if bigEndian {
                for i in 0..<width { v = v << 8 | UInt64(text[offset + i]) }
            } else {
                for i in (0..<width).reversed() { v = v << 8 | UInt64(text[offset + i]) }
            }
            return v
        }
    }

    static func parse(_ text: UnsafeBufferPointer<UInt8>) throws(ProfileError) -> Profile? {
        for (width, bigEndian) in [(4, false), (4, true), (8, false), (8, true)] {
            let words = WordReader(text: text, width: width, bigEndian: bigEndian)
            guard let n1 = words.word(at: 0), let n2 = words.word(at: width), let n3 = words.word(at: 2 * width),
                  let n4 = words.word(at: 3 * width), let n5 = words.word(at: 4 * width) else { continue }
            guard n1 == 0, n2 == 3, n4 > 0, n5 == 0, n3 == 0 || n3 == 1 else { continue }
            let periodMicros = Int64(bitPattern: n4)
            let sampleTypes = [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")]
            var builder = LegacyProfileBuilder(sampleTypes: sampleTypes,
                                               periodType: ValueType(type: "cpu", unit: "nanoseconds"),
                                               period: periodMicros &* 1000)
            if n3 == 1 {
                let rest = try readSamples(words, from: 5 * width, adjustCallers: false, into: &builder)
                return try JavaProfileParser.finishCPU(text, symbolsFrom: rest, builder: &builder)
            }
            let rest = try readSamples(words, from: 5 * width, adjustCallers: true, into: &builder)
            stripSignalFrames(&builder)
            var mappings: [Mapping] = []
            if let rest {
                var reader = LineReader(text, from: rest)
                mappings = MemoryMapParser.parse(&reader)
            }
            var profile = builder.finish(memoryMap: mappings)
            profile.dropDuplicatedLeaves()
            return profile
        }
        return nil
    }

    /// Reads records up to the end marker; returns the offset after it. Data that ends
    /// inside a record is an error (pprof reads the missing words as zeros).
    private static func readSamples(_ words: WordReader, from start: Int, adjustCallers: Bool,
                                    into builder: inout LegacyProfileBuilder) throws(ProfileError) -> Int? {
        let w = words.width
        let end = words.text.count
        var offset = start
        var stack: [Int] = []
        while offset < end {
            let recordStart = offset
            guard let count = words.word(at: offset), let depth = words.word(at: offset + w) else {
                throw ProfileError(.truncated, "CPU profile: data ends inside a record header", offset: recordStart)
            }
            offset += 2 * w
            // pprof bounds the depth by the remaining bytes / 4 whatever the word size (and
            // calls a larger one "unrecognized"; a valid header came first, so it is truncation).
            guard depth <= UInt64((end - offset) / 4) else {
                throw ProfileError(.truncated,
                                   "CPU profile: data ends inside a record of \(depth) frames (\(end - offset) bytes left)",
                                   offset: recordStart)
            }
            let n = Int(depth)
            stack.removeAll(keepingCapacity: true)
            var firstAddress: UInt64 = 0
            var ranOut = false
            var addresses: [UInt64] = []
            addresses.reserveCapacity(n)
            for i in 0..<n {
                guard let a = words.word(at: offset) else {
                    ranOut = true
                    break
                }
                offset += w
                if i == 0 { firstAddress = a }
                addresses.append(a)
            }
            if ranOut {
                throw ProfileError(.truncated, "CPU profile: data ends inside a record of \(depth) frames",
                                   offset: recordStart)
            }
            if count == 0 && depth == 1 && firstAddress == 0 {
                return offset
            }
            for (i, a) in addresses.enumerated() {
                stack.append(builder.location(at: adjustCallers && i > 0 ? a &- 1 : a))
            }
            let c = Int64(bitPattern: count)
            builder.samples.append(Sample(locations: stack, values: [c, c &* builder.profile.period]))
        }
        return offset
    }

    /// The signal handler can push up to two frames of its own under the leaf; when
    /// (nearly) every sample has the same second frame, drop it.
    private static func stripSignalFrames(_ builder: inout LegacyProfileBuilder) {
        let total = builder.samples.count
        let margin = total / 32
        for _ in 0..<2 {
            var counts: [UInt64: Int] = [:]
            for s in builder.samples where s.locations.count > 1 {
                counts[builder.locations[s.locations[1]].address, default: 0] += 1
            }
            guard let (address, _) = counts.first(where: { $0.value >= total - margin }) else { continue }
            for i in builder.samples.indices {
                let locs = builder.samples[i].locations
                if locs.count > 1 && builder.locations[locs[1]].address == address {
                    builder.samples[i].locations.remove(at: 1)
                }
            }
        }
    }
}
