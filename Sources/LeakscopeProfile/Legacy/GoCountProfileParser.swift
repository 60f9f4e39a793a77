/// Go count profiles at `debug=1` (goroutine, threadcreate, goroutineleak, custom
/// `pprof.NewProfile` ones):
///
///     goroutine profile: total 40
///     37 @ 0x43c1d6 0x4721c5 0x4b8c19 0x474e21
///     # labels: {"worker":"7"}
///     #	0x4b8c18	main.worker+0x38	/src/main.go:42
///
/// Sample and period type `<name>/count`. Unlike pprof, the frame and label comments are
/// kept (see `GoFrameComments`).
enum GoCountProfileParser {
    static func parse(_ text: UnsafeBufferPointer<UInt8>) throws(ProfileError) -> Profile? {
        var reader = LineReader(text)
        while reader.next() && text.isSpaceOrComment(reader.current) {}
        guard let name = header(text, reader.current) else { return nil }
        let type = ValueType(type: name, unit: "count")
        var builder = LegacyProfileBuilder(sampleTypes: [type], periodType: type, period: 1)
        var comments = GoFrameComments()
        var stack: [Int] = []
        while reader.next() {
            let line = reader.current
            if text.isSpaceOrComment(line) {
                if !text.trim(line).isEmpty {
                    comments.consume(text, line, builder: &builder)
                } else {
                    comments.flush(builder: &builder)
                }
                continue
            }
            comments.flush(builder: &builder)
            if text.hasPrefix(line, "---") { break }
            guard let count = sampleLine(text, line, builder: &builder, stack: &stack) else {
                throw ProfileError(.malformed,
                                   "\(name) profile: expected `<count> @ 0x<address> …`, found `\(text.excerpt(line))`",
                                   line: reader.lineNumber)
            }
            builder.samples.append(Sample(locations: stack, values: [count]))
        }
        comments.flush(builder: &builder)
        let mappings = LegacySections.memoryMapAfterSamples(&reader)
        return builder.finish(memoryMap: mappings)
    }

    /// `\A(\S+) profile: total \d+\z` → the profile name.
    private static func header(_ text: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> String? {
        var i = line.start
        while i < line.end && !ByteClass.space.contains(text[i]) { i += 1 }
        guard i > line.start else { return nil }
        let name = ByteSpan(start: line.start, end: i)
        let rest = ByteSpan(start: i, end: line.end)
        guard text.hasPrefix(rest, " profile: total ") else { return nil }
        let digits = ByteSpan(start: i + 16, end: line.end)
        guard !digits.isEmpty else { return nil }
        for k in digits.start..<digits.end where !UnsafeBufferPointer<UInt8>.isDigit(text[k]) { return nil }
        return text.string(name)
    }

    /// `\A(\d+) @(( 0x[0-9a-f]+)+)\z`; fills `stack` with locations (address − 1) and
    /// returns the count, or nil when the line has another shape. Unlike pprof, a bare
    /// `N @` is an empty stack: Go 1.19 writes threadcreate profiles that way.
    private static func sampleLine(_ text: UnsafeBufferPointer<UInt8>, _ line: ByteSpan,
                                   builder: inout LegacyProfileBuilder, stack: inout [Int]) -> Int64? {
        var i = line.start
        while i < line.end && UnsafeBufferPointer<UInt8>.isDigit(text[i]) { i += 1 }
        guard i > line.start, let count = GoInt.parseAnyBase(text, ByteSpan(start: line.start, end: i)) else {
            return nil
        }
        guard text.hasPrefix(ByteSpan(start: i, end: line.end), " @") else { return nil }
        i += 2
        stack.removeAll(keepingCapacity: true)
        while i < line.end {
            guard text.hasPrefix(ByteSpan(start: i, end: line.end), " 0x") else { return nil }
            i += 3
            let start = i
            while i < line.end && text.isLowerHex(text[i]) { i += 1 }
            guard let address = GoInt.parseUnsigned(text, ByteSpan(start: start, end: i), base: 16) else {
                return nil
            }
            stack.append(builder.location(at: address &- 1))
        }
        return count
    }
}

/// What follows the samples in the text formats.
enum LegacySections {
    /// pprof's `parseAdditionalSections`: skip to a memory-map sentinel (the current line
    /// may be one) and read the map after it.
    static func memoryMapAfterSamples(_ reader: inout LineReader) -> [Mapping] {
        while !MemoryMapParser.isSentinel(reader.text, reader.current) {
            if !reader.next() { return [] }
        }
        return MemoryMapParser.parse(&reader)
    }
}
