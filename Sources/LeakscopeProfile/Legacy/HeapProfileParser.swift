import Foundation

/// Heap text profiles: Go's `debug=1` heap/allocs (`heap profile: … @ heap/<2×rate>`) and
/// the C++ variants (`heapz_v2/N`, `heap_v2/N`, `heapprofile`, `growthz`,
/// `fragmentationz`):
///
///     heap profile: 3: 1234 [10: 5678] @ heap/1048576
///     1: 8192 [2: 16384] @ 0x40a3f1 0x4b8c19
///     #	0x40a3f0	main.alloc+0x30	/src/main.go:12
///
/// Four sample types (alloc_objects, alloc_space, inuse_objects, inuse_space) when the
/// header's alloc totals differ from the in-use ones, else `objects`, `space`. Sampled
/// profiles are unsampled with the Poisson estimate; each sample gets a numeric `bytes`
/// label with its average block size.
enum HeapProfileParser {
    private enum Sampling { case none, poisson }

    static func parse(_ text: UnsafeBufferPointer<UInt8>) throws(ProfileError) -> Profile? {
        var reader = LineReader(text)
        guard reader.next() else { return nil }
        let first = reader.current
        var sampling = Sampling.none
        var period: Int64 = 0
        var hasAlloc = false
        if let h = PatternSearch.find(heapHeader, in: text, span: first) {
            // Alloc totals that differ from in-use (and are not 0) mean four sample types;
            // pprof compares the digit strings.
            let (inuseObjects, inuseBytes, allocObjects, allocBytes) = (h[group: 1], h[group: 2], h[group: 3], h[group: 4])
            hasAlloc = (!text.equalBytes(allocObjects, inuseObjects) && !text.equals(allocObjects, "0"))
                || (!text.equalBytes(allocBytes, inuseBytes) && !text.equals(allocBytes, "0"))
            let rate = h[group: 6]
            if !rate.isEmpty {
                guard let r = GoInt.parseDecimal(text, rate), text[rate.start] != UInt8(ascii: "+") else {
                    throw ProfileError(.unrecognized, "heap profile: sampling rate `\(text.excerpt(rate))` is not a 64-bit integer",
                                       line: 1)
                }
                period = r
            }
            let kind = h[group: 5]
            if text.equals(kind, "heapz_v2") || text.equals(kind, "heap_v2") {
                sampling = .poisson
            } else if text.equals(kind, "heapprofile") {
                period = 1
            } else if text.equals(kind, "heap") {
                // Go writes twice the MemProfileRate.
                sampling = .poisson
                period /= 2
            } else {
                throw ProfileError(.unrecognized, "heap profile: unknown sampling `\(text.excerpt(kind))`", line: 1)
            }
        } else if PatternSearch.find(growthHeader, in: text, span: first) != nil
                    || PatternSearch.find(fragmentationHeader, in: text, span: first) != nil {
            period = 1
        } else {
            return nil
        }

        let sampleTypes: [ValueType] = hasAlloc
            ? [ValueType(type: "alloc_objects", unit: "count"), ValueType(type: "alloc_space", unit: "bytes"),
               ValueType(type: "inuse_objects", unit: "count"), ValueType(type: "inuse_space", unit: "bytes")]
            : [ValueType(type: "objects", unit: "count"), ValueType(type: "space", unit: "bytes")]
        var builder = LegacyProfileBuilder(sampleTypes: sampleTypes,
                                           periodType: ValueType(type: "space", unit: "bytes"), period: period)
        var comments = GoFrameComments()
        var stack: [Int] = []
        var addresses: [UInt64] = []
        while reader.next() {
            let line = reader.trimmed
            if text.isSpaceOrComment(line) {
                if !line.isEmpty {
                    comments.consume(text, line, builder: &builder)
                } else {
                    comments.flush(builder: &builder)
                }
                continue
            }
            comments.flush(builder: &builder)
            if MemoryMapParser.isSentinel(text, line) { break }
            guard let fields = sampleFields(text, line) else {
                throw ProfileError(.malformed,
                                   "heap profile: expected `<in-use objects>: <in-use bytes> [<alloc objects>: <alloc bytes>] @ <addresses>`, found `\(text.excerpt(line))`",
                                   line: reader.lineNumber)
            }
            var values: [Int64] = []
            values.reserveCapacity(4)
            var blockSize: Int64 = 0
            func add(_ countSpan: ByteSpan, _ sizeSpan: ByteSpan, _ what: String) throws(ProfileError) {
                guard let count = GoInt.parseDecimal(text, countSpan), let size = GoInt.parseDecimal(text, sizeSpan) else {
                    throw ProfileError(.malformed, "heap profile: \(what) count or bytes out of range in `\(text.excerpt(line))`",
                                       line: reader.lineNumber)
                }
                if count == 0 && size != 0 {
                    throw ProfileError(.malformed, "heap profile: \(what) count was 0 but \(what) bytes was \(size)",
                                       line: reader.lineNumber)
                }
                var (c, s) = (count, size)
                if count != 0 {
                    blockSize = size.dividedReportingOverflow(by: count).partialValue
                    if sampling == .poisson { (c, s) = unsample(count: count, size: size, rate: period) }
                }
                values.append(c)
                values.append(s)
            }
            if hasAlloc { try add(fields.allocObjects, fields.allocBytes, "allocation") }
            try add(fields.inuseObjects, fields.inuseBytes, "inuse")
            addresses.removeAll(keepingCapacity: true)
            guard text.hexAddresses(in: fields.addresses, into: &addresses) else {
                throw ProfileError(.malformed, "heap profile: address does not fit in 64 bits in `\(text.excerpt(line))`",
                                   line: reader.lineNumber)
            }
            stack.removeAll(keepingCapacity: true)
            for a in addresses { stack.append(builder.location(at: a &- 1)) }
            builder.samples.append(Sample(locations: stack, values: values, labels: [.number("bytes", blockSize)]))
        }
        comments.flush(builder: &builder)
        let mappings = LegacySections.memoryMapAfterSamples(&reader)
        return builder.finish(memoryMap: mappings)
    }

    /// pprof's `scaleHeapSample`: divide by the probability 1−e^(−size/rate) that a block of
    /// the average size was sampled.
    static func unsample(count: Int64, size: Int64, rate: Int64) -> (Int64, Int64) {
        if count == 0 || size == 0 { return (0, 0) }
        if rate <= 1 { return (count, size) }
        let average = Double(size) / Double(count)
        let scale = 1 / (1 - exp(-average / Double(rate)))
        return (GoInt.truncating(Double(count) * scale), GoInt.truncating(Double(size) * scale))
    }

    private struct SampleFields {
        var inuseObjects: ByteSpan
        var inuseBytes: ByteSpan
        var allocObjects: ByteSpan
        var allocBytes: ByteSpan
        var addresses: ByteSpan
    }

    /// `(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)` — parsed directly when the
    /// line starts with it (always, for real profiles), else searched like pprof's regexp.
    private static func sampleFields(_ text: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> SampleFields? {
        if let f = leadingSampleFields(text, line) { return f }
        guard let m = PatternSearch.find(heapSample, in: text, span: line) else { return nil }
        return SampleFields(inuseObjects: m[group: 1], inuseBytes: m[group: 2], allocObjects: m[group: 3],
                            allocBytes: m[group: 4], addresses: m[group: 5])
    }

    private static func leadingSampleFields(_ t: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> SampleFields? {
        var i = line.start
        let end = line.end
        func number(signed: Bool) -> ByteSpan? {
            let s = i
            if signed && i < end && t[i] == UInt8(ascii: "-") { i += 1 }
            let digits = i
            while i < end && UnsafeBufferPointer<UInt8>.isDigit(t[i]) { i += 1 }
            return i > digits ? ByteSpan(start: s, end: i) : nil
        }
        func spaces() { while i < end && t[i] == 32 { i += 1 } }
        func expect(_ c: UInt8) -> Bool {
            guard i < end && t[i] == c else { return false }
            i += 1
            return true
        }
        guard let inuseObjects = number(signed: true), expect(UInt8(ascii: ":")) else { return nil }
        spaces()
        guard let inuseBytes = number(signed: true) else { return nil }
        spaces()
        guard expect(UInt8(ascii: "[")) else { return nil }
        spaces()
        guard let allocObjects = number(signed: false), expect(UInt8(ascii: ":")) else { return nil }
        spaces()
        guard let allocBytes = number(signed: false) else { return nil }
        spaces()
        guard expect(UInt8(ascii: "]")), expect(32), expect(UInt8(ascii: "@")) else { return nil }
        let start = i
        while i < end && addressBytes.contains(t[i]) { i += 1 }
        return SampleFields(inuseObjects: inuseObjects, inuseBytes: inuseBytes, allocObjects: allocObjects,
                            allocBytes: allocBytes, addresses: ByteSpan(start: start, end: i))
    }

    private static let addressBytes = ByteClass(" x", ranges: [48...57, 97...102])
    private static let spaces = BytePattern.star(ByteClass(" "))
    private static let signedNumber = BytePattern.sequence([.maybe(ByteClass("-")), .plus(.digit)])

    private static func totals(_ first: Int) -> [BytePattern] {
        [
            .lit("heap profile:"), spaces, .capture(first, .plus(.digit)), .lit(":"), spaces,
            .capture(first + 1, .plus(.digit)), spaces, .lit("["), spaces, .capture(first + 2, .plus(.digit)),
            .lit(":"), spaces, .capture(first + 3, .plus(.digit)), spaces, .lit("]"),
        ]
    }

    /// `heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)/?(\d*)`
    private static let heapHeader = CompiledPattern(BytePattern.sequence(totals(1) + [
        spaces, .lit("@"), spaces,
        .capture(5, .sequence([.lit("heap"), .star(ByteClass("_", ranges: [97...122, 48...57]))])),
        .maybe(ByteClass("/")), .capture(6, .star(.digit)),
    ]))
    /// `heap profile: … \] @ growthz?`
    private static let growthHeader = CompiledPattern(BytePattern.sequence(totals(1) + [.lit(" @ growth"), .maybe(ByteClass("z"))]))
    /// `heap profile: … \] @ fragmentationz?`
    private static let fragmentationHeader = CompiledPattern(BytePattern.sequence(totals(1) + [
        .lit(" @ fragmentation"), .maybe(ByteClass("z")),
    ]))
    private static let heapSample = CompiledPattern(BytePattern.sequence([
        .capture(1, signedNumber), .lit(":"), spaces, .capture(2, signedNumber), spaces, .lit("["), spaces,
        .capture(3, .plus(.digit)), .lit(":"), spaces, .capture(4, .plus(.digit)), spaces, .lit("] @"),
        .capture(5, .star(addressBytes)),
    ]))
}
