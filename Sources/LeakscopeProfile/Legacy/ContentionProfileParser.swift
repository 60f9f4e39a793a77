/// Contention text: C++ `--- contentionz` and Go's `debug=1` mutex and block profiles:
///
///     --- mutex:
///     cycles/second=2999999000
///     sampling period=1
///     30001552 3 @ 0x46a7d2 0x4b9231 0x474e21
///     #	0x46a7d1	sync.(*Mutex).Unlock+0x71	/go/src/sync/mutex.go:223
///
/// Rows are `<cycles> <count> @ <addresses>`. Sample types `contentions/count` and
/// `delay/nanoseconds`: with a sampling period, counts are multiplied by it and cycles
/// become nanoseconds through `cycles/second`.
enum ContentionProfileParser {
    static func parse(_ text: UnsafeBufferPointer<UInt8>) throws(ProfileError) -> Profile? {
        var reader = LineReader(text)
        guard reader.next() else { return nil }
        let first = reader.current
        guard text.hasPrefix(first, "--- contentionz ") || text.hasPrefix(first, "--- mutex:")
                || text.hasPrefix(first, "--- contention:") else { return nil }
        let contentions = ValueType(type: "contentions", unit: "count")
        var builder = LegacyProfileBuilder(sampleTypes: [contentions, ValueType(type: "delay", unit: "nanoseconds")],
                                           periodType: contentions, period: 1)
        var cyclesPerSecond: Int64 = 0
        // `name = value` attributes come before the samples.
        while reader.next() {
            let line = reader.trimmed
            if text.isSpaceOrComment(line) { continue }
            if text.hasPrefix(line, "---") { break }
            var eq = line.start
            while eq < line.end && text[eq] != UInt8(ascii: "=") { eq += 1 }
            if eq == line.end { break }
            let key = text.trim(ByteSpan(start: line.start, end: eq))
            let value = text.trim(ByteSpan(start: eq + 1, end: line.end))
            func number() throws(ProfileError) -> Int64 {
                guard let n = GoInt.parseAnyBase(text, value) else {
                    throw ProfileError(.unrecognized, "contention profile: `\(text.excerpt(key))` is not an integer",
                                       line: reader.lineNumber)
                }
                return n
            }
            if text.equals(key, "cycles/second") {
                cyclesPerSecond = try number()
            } else if text.equals(key, "sampling period") {
                builder.profile.period = try number()
            } else if text.equals(key, "ms since reset") {
                builder.profile.durationNanos = try number() &* 1_000_000
            } else if text.equals(key, "discarded samples") {
                continue
            } else {
                // Includes `format` and `resolution`, which only Java dumps have.
                throw ProfileError(.unrecognized, "contention profile: unexpected attribute `\(text.excerpt(key))`",
                                   line: reader.lineNumber)
            }
        }
        let period = builder.profile.period
        var comments = GoFrameComments()
        var stack: [Int] = []
        var addresses: [UInt64] = []
        repeat {
            let line = reader.trimmed
            if text.hasPrefix(line, "---") { break }
            if text.isSpaceOrComment(line) {
                if line.isEmpty {
                    comments.flush(builder: &builder)
                } else {
                    comments.consume(text, line, builder: &builder)
                }
                continue
            }
            comments.flush(builder: &builder)
            guard let fields = sampleFields(text, line) else {
                throw ProfileError(.unrecognized,
                                   "contention profile: expected `<cycles> <count> @ <addresses>`, found `\(text.excerpt(line))`",
                                   line: reader.lineNumber)
            }
            guard var cycles = GoInt.parseDecimal(text, fields.cycles), var count = GoInt.parseDecimal(text, fields.count) else {
                throw ProfileError(.malformed, "contention profile: value out of range in `\(text.excerpt(line))`",
                                   line: reader.lineNumber)
            }
            if period > 0 {
                if cyclesPerSecond > 0 {
                    let gigahertz = Double(cyclesPerSecond) / 1e9
                    cycles = GoInt.truncating(Double(cycles) * Double(period) / gigahertz)
                }
                count = count &* period
            }
            addresses.removeAll(keepingCapacity: true)
            guard text.hexAddresses(in: fields.addresses, into: &addresses) else {
                throw ProfileError(.malformed, "contention profile: address does not fit in 64 bits in `\(text.excerpt(line))`",
                                   line: reader.lineNumber)
            }
            stack.removeAll(keepingCapacity: true)
            for a in addresses { stack.append(builder.location(at: a &- 1)) }
            builder.samples.append(Sample(locations: stack, values: [count, cycles]))
        } while reader.next()
        comments.flush(builder: &builder)
        let mappings = LegacySections.memoryMapAfterSamples(&reader)
        return builder.finish(memoryMap: mappings)
    }

    private struct Fields {
        var cycles: ByteSpan
        var count: ByteSpan
        var addresses: ByteSpan
    }

    /// `(\d+) *(\d+) @([ x0-9a-f]*)`, read directly in the usual `<n> <n> @` shape.
    private static func sampleFields(_ t: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> Fields? {
        var i = line.start
        while i < line.end && UnsafeBufferPointer<UInt8>.isDigit(t[i]) { i += 1 }
        let cycles = ByteSpan(start: line.start, end: i)
        let spacesStart = i
        while i < line.end && t[i] == 32 { i += 1 }
        let countStart = i
        while i < line.end && UnsafeBufferPointer<UInt8>.isDigit(t[i]) { i += 1 }
        if !cycles.isEmpty && i > spacesStart + 0 && countStart > spacesStart && i > countStart
            && t.hasPrefix(ByteSpan(start: i, end: line.end), " @") {
            let count = ByteSpan(start: countStart, end: i)
            i += 2
            let a = i
            while i < line.end && addressBytes.contains(t[i]) { i += 1 }
            return Fields(cycles: cycles, count: count, addresses: ByteSpan(start: a, end: i))
        }
        guard let m = PatternSearch.find(samplePattern, in: t, span: line) else { return nil }
        return Fields(cycles: m[group: 1], count: m[group: 2], addresses: m[group: 3])
    }

    private static let addressBytes = ByteClass(" x", ranges: [48...57, 97...102])
    private static let samplePattern = CompiledPattern(BytePattern.sequence([
        .capture(1, .plus(.digit)), .star(ByteClass(" ")), .capture(2, .plus(.digit)), .lit(" @"),
        .capture(3, .star(addressBytes)),
    ]))
}
