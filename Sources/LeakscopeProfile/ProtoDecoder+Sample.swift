/// Up to 24 raw bytes packed into words: a cheap dictionary key for the encoded
/// form of a sample's values or labels.
struct ShortBytesKey: Equatable {
    private var word0: UInt64 = 0, word1: UInt64 = 0, word2: UInt64 = 0
    private var count: UInt64 = 0

    init() {}

    /// The key for `bytes[range]`, or nil when the range is longer than 24 bytes.
    @inline(__always)
    init?(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) {
        let length = range.count
        guard length <= 24, let base = bytes.baseAddress else { return nil }
        count = UInt64(length)
        withUnsafeMutableBytes(of: &word0) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + range.lowerBound, count: min(8, length))) }
        if length > 8 {
            withUnsafeMutableBytes(of: &word1) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + range.lowerBound + 8, count: min(8, length - 8))) }
        }
        if length > 16 {
            withUnsafeMutableBytes(of: &word2) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + range.lowerBound + 16, count: length - 16)) }
        }
    }

    var isEmpty: Bool { count == 0 }

    /// A fast multiplicative hash; `ShortBytesCache` bounds probing, so collisions
    /// crafted by hostile input cost at most a few comparisons each.
    var hashValue64: UInt64 {
        var h = word0 &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ (h >> 29) ^ word1) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 32) ^ word2 ^ count) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }
}

/// A fixed-size open-addressing table from `ShortBytesKey` to a shared array.
/// Lookups probe at most `maxProbes` slots; when full or crowded it simply stops
/// remembering, which only costs sharing, never correctness.
struct ShortBytesCache<Element> {
    private struct Entry {
        var key = ShortBytesKey()  // an empty key marks a free slot (real keys are ≥ 2 bytes)
        var value: [Element] = []
    }
    private static var maxProbes: Int { 8 }
    /// log2 of the table size: room for about twice the expected entries, at most 2^17.
    private let bits: UInt64
    private var entries: [Entry] = []

    init(expectedEntries: Int = 0) {
        var bits: UInt64 = 6
        while bits < 17 && (1 << Int(bits)) < expectedEntries &* 2 { bits &+= 1 }
        self.bits = bits
    }

    @inline(__always)
    private func slot(_ key: ShortBytesKey, _ probe: Int) -> Int {
        Int(truncatingIfNeeded: (key.hashValue64 >> (64 &- bits)) &+ UInt64(probe)) & ((1 << Int(bits)) &- 1)
    }

    @inline(__always)
    func lookup(_ key: ShortBytesKey) -> [Element]? {
        entries.withUnsafeBufferPointer { entries in
            guard !entries.isEmpty else { return nil }
            for probe in 0..<Self.maxProbes {
                let entry = entries[slot(key, probe)]
                if entry.key == key { return entry.value }
                if entry.key.isEmpty { return nil }
            }
            return nil
        }
    }

    mutating func insert(_ key: ShortBytesKey, _ value: [Element]) {
        if entries.isEmpty {
            entries = Array(repeating: Entry(), count: 1 << Int(bits))
        }
        for probe in 0..<Self.maxProbes {
            let slot = slot(key, probe)
            if entries[slot].key.isEmpty {
                entries[slot] = Entry(key: key, value: value)
                return
            }
        }
    }
}

/// Reusable scratch memory for decoding packed runs; freed by its owner.
struct ScratchBuffer<Element> {
    private var base: UnsafeMutablePointer<Element>? = nil
    private var capacity = 0

    /// Room for at least `count` elements (contents undefined).
    mutating func reserve(_ count: Int) -> UnsafeMutablePointer<Element> {
        if let base, capacity >= count { return base }
        base?.deallocate()
        capacity = max(count, 64, capacity &* 2)
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        base = fresh
        return fresh
    }

    mutating func free() {
        base?.deallocate()
        base = nil
        capacity = 0
    }
}

/// The byte range covered by one kind of field within a sample.
struct FieldSpan {
    private(set) var run: Range<Int>? = nil
    private(set) var isContiguous = true
    private(set) var count = 0

    @inline(__always)
    mutating func add(_ field: Range<Int>) {
        count &+= 1
        if let current = run {
            if current.upperBound != field.lowerBound { isContiguous = false }
            run = current.lowerBound..<field.upperBound
        } else {
            run = field
        }
    }
}

/// Samples are most of a profile. Their values and labels repeat a lot (a CPU
/// profile's `1, 10000000`, a heap profile's `bytes` label), so equal encodings
/// share one decoded array instead of allocating one per sample.
extension ProtoDecoder {
    mutating func decodeSample(_ range: Range<Int>, number: Int, locations locationIDs: IDTable) throws(ProfileError) -> Sample {
        var reader = WireReader(bytes: bytes, range: range)
        var locations: [Int] = []
        // Where the value and label fields lie: normally each kind is one contiguous
        // run, which is then both the cache key and what gets decoded.
        var values = FieldSpan(), labels = FieldSpan()
        while !reader.isAtEnd {
            let offset = reader.position
            let (field, wire) = try reader.readTag()
            switch field {
            case 1:
                if wire == .lengthDelimited {
                    let packed = try reader.readLengthDelimited()
                    if locations.isEmpty {
                        locations = try packedLocations(packed, locationIDs, sample: number)
                        continue
                    }
                    locations.reserveCapacity(locations.count &+ WireReader.countVarints(bytes, packed))
                    var inner = WireReader(bytes: bytes, range: packed)
                    while !inner.isAtEnd {
                        let at = inner.position
                        locations.append(try resolveLocation(try inner.readVarint(), locationIDs, sample: number, at: at))
                    }
                } else {
                    let id = try Self.varint(&reader, wire, "Sample.location_id", at: offset)
                    locations.append(try resolveLocation(id, locationIDs, sample: number, at: offset))
                }
            case 2:
                guard wire == .varint || wire == .lengthDelimited else {
                    throw Self.mismatch("Sample.value", wire, expected: "varint or length-delimited", at: offset)
                }
                try reader.skip(wire)
                values.add(offset..<reader.position)
            case 3:
                _ = try Self.message(&reader, wire, "Sample.label", at: offset)
                labels.add(offset..<reader.position)
            default:
                try reader.skip(wire)
            }
        }
        return Sample(locations: locations,
                      values: try sharedValues(values, sample: range),
                      labels: try sharedLabels(labels, sample: range, number: number))
    }

    private mutating func sharedValues(_ span: FieldSpan, sample: Range<Int>) throws(ProfileError) -> [Int64] {
        guard let run = span.run else { return [] }
        let key = span.isContiguous ? ShortBytesKey(bytes, run) : nil
        if let key, let cached = valueCache.lookup(key) { return cached }
        var values: [Int64] = []
        // Only field-2 entries are decoded, so rescanning the whole sample is fine too.
        var reader = WireReader(bytes: bytes, range: span.isContiguous ? run : sample)
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            guard field == 2 else {
                try reader.skip(wire)
                continue
            }
            if wire == .lengthDelimited {
                let packed = try reader.readLengthDelimited()
                if values.isEmpty && reader.isAtEnd {
                    values = try packedValues(packed)
                    break
                }
                values.reserveCapacity(values.count &+ WireReader.countVarints(bytes, packed))
                var inner = WireReader(bytes: bytes, range: packed)
                while !inner.isAtEnd {
                    values.append(Int64(bitPattern: try inner.readVarint()))
                }
            } else {
                values.append(Int64(bitPattern: try reader.readVarint()))
            }
        }
        if let key { valueCache.insert(key, values) }
        return values
    }

    private mutating func packedValues(_ packed: Range<Int>) throws(ProfileError) -> [Int64] {
        let scratch = scratchValues.reserve(WireReader.countVarints(bytes, packed))
        var count = 0
        var inner = WireReader(bytes: bytes, range: packed)
        while !inner.isAtEnd {
            scratch[count] = Int64(bitPattern: try inner.readVarint())
            count &+= 1
        }
        return Array(UnsafeBufferPointer(start: scratch, count: count))
    }

    private mutating func sharedLabels(_ span: FieldSpan, sample: Range<Int>, number: Int) throws(ProfileError) -> [Label] {
        guard let run = span.run else { return [] }
        let key = span.isContiguous ? ShortBytesKey(bytes, run) : nil
        if let key, let cached = labelCache.lookup(key) { return cached }
        var labels: [Label] = []
        labels.reserveCapacity(span.count)
        var reader = WireReader(bytes: bytes, range: span.isContiguous ? run : sample)
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            guard field == 3 else {
                try reader.skip(wire)
                continue
            }
            if let label = try decodeLabel(try reader.readLengthDelimited(), sample: number) {
                labels.append(label)
            }
        }
        if let key { labelCache.insert(key, labels) }
        return labels
    }

    /// The usual case, one packed run of location IDs, decoded into scratch memory
    /// and copied into an array of exactly the right size.
    private mutating func packedLocations(_ packed: Range<Int>, _ table: IDTable, sample: Int) throws(ProfileError) -> [Int] {
        let scratch = scratchLocations.reserve(WireReader.countVarints(bytes, packed))
        var count = 0
        var inner = WireReader(bytes: bytes, range: packed)
        while !inner.isAtEnd {
            let at = inner.position
            let id = try inner.readVarint()
            // Each complete varint has a terminating byte, so `count` stays in bounds.
            scratch[count] = try resolveLocation(id, table, sample: sample, at: at)
            count &+= 1
        }
        return Array(UnsafeBufferPointer(start: scratch, count: count))
    }

    @inline(__always)
    private func resolveLocation(_ id: UInt64, _ table: IDTable, sample: Int, at offset: Int) throws(ProfileError) -> Int {
        guard let index = table.index(of: id) else {
            throw ProfileError(.invalid, "sample \(sample) names location \(id), which does not exist", offset: offset)
        }
        return index
    }
}
