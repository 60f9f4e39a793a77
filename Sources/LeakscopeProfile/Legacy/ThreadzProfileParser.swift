/// C++ threadz dumps: `--- threadz N ---` or a first `--- Thread <id> (name: n/tid) stack: ---`
/// header, then per thread the PCs (anywhere on the lines as `0x…`, including
/// `creator:` stacks), `[same as previous thread]` markers, and a memory map, which the
/// format requires. One `thread/count` sample per distinct thread stack.
enum ThreadzProfileParser {
    static func parse(_ text: UnsafeBufferPointer<UInt8>) throws(ProfileError) -> Profile? {
        var reader = LineReader(text)
        while reader.next() && text.isSpaceOrComment(reader.current) {}
        var line = reader.current
        var lineNumber = reader.lineNumber
        if PatternSearch.find(threadzStart, in: text, span: line) != nil {
            while reader.next() {
                line = reader.current
                lineNumber = reader.lineNumber
                if MemoryMapParser.isSentinel(text, line) || text.hasPrefix(line, "-") { break }
            }
        } else if PatternSearch.find(threadStart, in: text, span: line) == nil {
            return nil
        }
        let thread = ValueType(type: "thread", unit: "count")
        var builder = LegacyProfileBuilder(sampleTypes: [thread], periodType: thread, period: 1)
        var addresses: [UInt64] = []
        while !MemoryMapParser.isSentinel(text, line) {
            if text.hasPrefix(line, "---- no stack trace for") { break }
            guard PatternSearch.find(threadStart, in: text, span: line) != nil else {
                throw ProfileError(.unrecognized,
                                   "threadz profile: expected `--- Thread <id> (name: <name>/<tid>) stack: ---` or a memory map, found `\(text.excerpt(line))`",
                                   line: lineNumber)
            }
            addresses.removeAll(keepingCapacity: true)
            var sameAsPrevious = false
            line = .empty
            while reader.next() {
                line = reader.trimmed
                lineNumber = reader.lineNumber
                if line.isEmpty { continue }
                if text.hasPrefix(line, "---") { break }
                if text.contains(line, "same as previous thread") {
                    sameAsPrevious = true
                    continue
                }
                guard text.hexAddresses(in: line, into: &addresses) else {
                    throw ProfileError(.malformed, "threadz profile: address does not fit in 64 bits in `\(text.excerpt(line))`",
                                       line: lineNumber)
                }
            }
            if sameAsPrevious || addresses.isEmpty {
                if !builder.samples.isEmpty {
                    builder.samples[builder.samples.count - 1].values[0] &+= 1
                }
                continue
            }
            var stack: [Int] = []
            stack.reserveCapacity(addresses.count)
            for (i, a) in addresses.enumerated() {
                // Callers' PCs are return addresses; the leaf is not.
                stack.append(builder.location(at: i > 0 ? a &- 1 : a))
            }
            builder.samples.append(Sample(locations: stack, values: [1]))
        }
        let mappings = LegacySections.memoryMapAfterSamples(&reader)
        var profile = builder.finish(memoryMap: mappings)
        profile.dropDuplicatedLeaves()
        return profile
    }

    /// `--- threadz \d+ ---`
    private static let threadzStart = CompiledPattern(BytePattern.sequence([.lit("--- threadz "), .plus(.digit), .lit(" ---")]))
    /// `--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---`
    private static let threadStart = CompiledPattern(BytePattern.sequence([
        .lit("--- Thread "), .plus(.xdigit), .lit(" (name: "), .star(.any), .lit("/"), .plus(.digit),
        .lit(") stack: ---"),
    ]))
}
