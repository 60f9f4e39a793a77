/// Java agent dumps: `--- heapz 1 ---` and `--- contentionz 1 ---` text (attributes
/// `format = java`, `resolution = …`, then `<v> <n> @ 0x…` rows), and the symbol lines
/// `0x<pc> name (file:line)` that follow them and the Java CPU binary. Locations get one
/// line each and lose their addresses, as in pprof.
enum JavaProfileParser {
    private enum Kind { case heap, contention }

    static func parse(_ text: UnsafeBufferPointer<UInt8>) throws(ProfileError) -> Profile? {
        var newline = 0
        while newline < text.count && text[newline] != 10 { newline += 1 }
        guard newline < text.count else { return nil }
        let header = text.trim(ByteSpan(start: 0, end: newline))
        let kind: Kind
        if text.equals(header, "--- heapz 1 ---") {
            kind = .heap
        } else if text.equals(header, "--- contentionz 1 ---") {
            kind = .contention
        } else {
            return nil
        }
        var builder = LegacyProfileBuilder(sampleTypes: [], periodType: ValueType(type: "", unit: ""), period: 0)
        var lineNumber = 1
        var offset = newline + 1
        // Attributes, each a full line.
        while let line = fullLine(text, at: offset) {
            let trimmed = text.trim(line)
            if !trimmed.isEmpty {
                guard let (rawName, rawValue) = attribute(text, trimmed) else { break }
                let name = text.trim(rawName)
                let value = text.trim(rawValue)
                let valueString = text.string(value)
                let where_ = lineNumber + 1
                func number() throws(ProfileError) -> Int64 {
                    guard let n = GoInt.parseAnyBase(text, value) else {
                        throw ProfileError(.malformed, "Java profile: attribute `\(text.excerpt(trimmed))` is not an integer",
                                           line: where_)
                    }
                    return n
                }
                switch (kind, text.string(name)) {
                case (_, "format"):
                    if valueString != "java" {
                        throw ProfileError(.unrecognized, "Java profile: format is `\(valueString)`, not `java`", line: where_)
                    }
                case (.heap, "resolution"):
                    builder.profile.sampleTypes = [ValueType(type: "inuse_objects", unit: "count"),
                                                   ValueType(type: "inuse_space", unit: valueString)]
                case (.contention, "resolution"):
                    builder.profile.sampleTypes = [ValueType(type: "contentions", unit: "count"),
                                                   ValueType(type: "delay", unit: valueString)]
                case (.contention, "sampling period"):
                    builder.profile.periodType = ValueType(type: "contentions", unit: "count")
                    builder.profile.period = try number()
                case (.contention, "ms since reset"):
                    builder.profile.durationNanos = try number() &* 1_000_000
                default:
                    throw ProfileError(.unrecognized, "Java profile: unexpected attribute `\(text.excerpt(name))`",
                                       line: where_)
                }
            }
            offset = line.end + 1
            lineNumber += 1
        }
        // Samples, each a full line: `<a> <b> @ 0x…`.
        var addresses: [UInt64] = []
        while let line = fullLine(text, at: offset) {
            let trimmed = text.trim(line)
            if !trimmed.isEmpty {
                guard let m = sampleFields(text, trimmed) ?? PatternSearch.find(sample, in: text, span: trimmed) else { break }
                let where_ = lineNumber + 1
                guard let first = GoInt.parseAnyBase(text, m[group: 1]), let second = GoInt.parseAnyBase(text, m[group: 2]) else {
                    throw ProfileError(.malformed, "Java profile: value out of range in `\(text.excerpt(trimmed))`", line: where_)
                }
                addresses.removeAll(keepingCapacity: true)
                guard text.hexAddresses(in: m[group: 3], into: &addresses) else {
                    throw ProfileError(.malformed, "Java profile: address does not fit in 64 bits in `\(text.excerpt(trimmed))`",
                                       line: where_)
                }
                let stack = addresses.map { builder.location(at: $0) }
                // Java rows are `<value> <count>`, the other way round from C++ ones.
                var values = [second, first]
                var labels: [Label] = []
                switch kind {
                case .heap:
                    guard values[0] != 0 else {
                        throw ProfileError(.malformed, "Java heap profile: object count must be non-zero in `\(text.excerpt(trimmed))`",
                                           line: where_)
                    }
                    labels = [.number("bytes", values[1].dividedReportingOverflow(by: values[0]).partialValue)]
                    let (c, s) = HeapProfileParser.unsample(count: values[0], size: values[1], rate: 524_288)
                    values = [c, s]
                case .contention:
                    let period = builder.profile.period
                    if period != 0 { values = [values[0] &* period, values[1] &* period] }
                }
                builder.samples.append(Sample(locations: stack, values: values, labels: labels))
            }
            offset = line.end + 1
            lineNumber += 1
        }
        return try finish(text, symbolsFrom: offset, builder: &builder)
    }

    /// The Java CPU binary's tail: symbol lines after the samples.
    static func finishCPU(_ text: UnsafeBufferPointer<UInt8>, symbolsFrom offset: Int?,
                          builder: inout LegacyProfileBuilder) throws(ProfileError) -> Profile {
        try finish(text, symbolsFrom: offset ?? text.count, builder: &builder)
    }

    private static func finish(_ text: UnsafeBufferPointer<UInt8>, symbolsFrom offset: Int,
                               builder: inout LegacyProfileBuilder) throws(ProfileError) -> Profile {
        try readSymbols(text, from: offset, builder: &builder)
        var profile = builder.finishWithoutMassage()
        // Addresses are dropped so equal frames merge.
        for i in profile.locations.indices { profile.locations[i].address = 0 }
        return profile
    }

    /// `0x<pc> name (file:line)` lines give the location at `pc` its function and line.
    private static func readSymbols(_ text: UnsafeBufferPointer<UInt8>, from offset: Int,
                                    builder: inout LegacyProfileBuilder) throws(ProfileError) {
        var reader = LineReader(text, from: offset)
        var functionByName: [String: Int] = [:]
        while reader.next() {
            let line = text.trim(reader.current)
            if line.isEmpty { continue }
            guard let m = PatternSearch.find(symbolLine, in: text, span: line) else { continue }
            guard let address = GoInt.parseUnsigned(text, m[group: 1], base: 16) else {
                throw ProfileError(.malformed, "Java profile: address does not fit in 64 bits in `\(text.excerpt(line))`",
                                   offset: line.start)
            }
            guard let location = builder.locationByAddress[address] else { continue }
            let rest = m[group: 2]
            var name: String
            var file = ""
            var lineNumber: Int64 = 0
            if let f = PatternSearch.find(symbolFileLine, in: text, span: rest) {
                name = text.string(f[group: 1])
                file = text.string(f[group: 2])
                if let n = GoInt.parseDecimal(text, f[group: 3]), n > 0 { lineNumber = n }
            } else if let f = PatternSearch.find(symbolPath, in: text, span: rest) {
                // A shared library path: keep its base name.
                name = text.string(f[group: 1])
                file = baseName(text.string(f[group: 2]))
            } else if text.contains(rest, "generated stub/JIT") {
                name = "STUB"
            } else {
                // Internal states such as "GC" or "VM".
                name = text.string(rest)
            }
            var function: Int
            if let known = functionByName[name] {
                function = known
            } else {
                function = builder.functions.count
                builder.functions.append(Function(id: 0, name: name, systemName: name, filename: file))
                functionByName[name] = function
            }
            builder.locations[location].lines = [Line(function: function, line: lineNumber)]
            builder.locations[location].address = 0
        }
    }

    /// The line starting at `offset` if a newline ends it (pprof reads the attribute and
    /// sample sections line by line and stops at a last unterminated line).
    private static func fullLine(_ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> ByteSpan? {
        var i = offset
        while i < text.count && text[i] != 10 { i += 1 }
        return i < text.count ? ByteSpan(start: offset, end: i) : nil
    }

    /// Go's `filepath.Base`.
    static func baseName(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        if p == "/" { return "/" }
        if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
        return String(p)
    }

    private static let wordOrSpace = ByteClass.word.union(ByteClass(" "))

    /// pprof's `([\w ]+)=([\w ]+)`, searched in linear time: the first `=` with a run of
    /// word characters or spaces on both sides; the groups are those maximal runs.
    private static func attribute(_ t: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> (ByteSpan, ByteSpan)? {
        var runStart = line.start
        var i = line.start
        while i < line.end {
            let c = t[i]
            if c == UInt8(ascii: "=") && i > runStart {
                var j = i + 1
                while j < line.end && wordOrSpace.contains(t[j]) { j += 1 }
                if j > i + 1 { return (ByteSpan(start: runStart, end: i), ByteSpan(start: i + 1, end: j)) }
            }
            if !wordOrSpace.contains(c) { runStart = i + 1 }
            i += 1
        }
        return nil
    }

    /// The usual shape of a sample row, `<n> <n> @ 0x…` from the start of the line.
    private static func sampleFields(_ t: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> [ByteSpan?]? {
        var i = line.start
        func run(_ accept: (UInt8) -> Bool) -> ByteSpan {
            let s = i
            while i < line.end && accept(t[i]) { i += 1 }
            return ByteSpan(start: s, end: i)
        }
        _ = run { $0 == 32 }
        let first = run(UnsafeBufferPointer<UInt8>.isDigit)
        guard !first.isEmpty, !run({ $0 == 32 }).isEmpty else { return nil }
        let second = run(UnsafeBufferPointer<UInt8>.isDigit)
        guard !second.isEmpty, !run({ $0 == 32 }).isEmpty, i < line.end, t[i] == UInt8(ascii: "@") else { return nil }
        i += 1
        guard !run({ $0 == 32 }).isEmpty else { return nil }
        let addresses = run { $0 == 32 || $0 == UInt8(ascii: "x") || t.isLowerHex($0) }
        return [ByteSpan(start: line.start, end: i), first, second, addresses]
    }
    /// ` *(\d+) +(\d+) +@ +([ x0-9a-f]*)`
    private static let sample = CompiledPattern(BytePattern.sequence([
        .star(ByteClass(" ")), .capture(1, .plus(.digit)), .plus(ByteClass(" ")), .capture(2, .plus(.digit)),
        .plus(ByteClass(" ")), .lit("@"), .plus(ByteClass(" ")),
        .capture(3, .star(ByteClass(" x", ranges: [48...57, 97...102]))),
    ]))
    /// `^\s*0x([[:xdigit:]]+)\s+(.*)\s*$`
    private static let symbolLine = CompiledPattern(BytePattern.sequence([
        .start, .star(.space), .lit("0x"), .capture(1, .plus(.xdigit)), .plus(.space), .capture(2, .star(.any)),
        .star(.space), .end,
    ]))
    /// `^(.*)\s+\((.+):(-?[[:digit:]]+)\)$`
    private static let symbolFileLine = CompiledPattern(BytePattern.sequence([
        .start, .capture(1, .star(.any)), .plus(.space), .lit("("), .capture(2, .plus(.any)), .lit(":"),
        .capture(3, .sequence([.maybe(ByteClass("-")), .plus(.digit)])), .lit(")"), .end,
    ]))
    /// `^(.*)\s+\((.*)\)$`
    private static let symbolPath = CompiledPattern(BytePattern.sequence([
        .start, .capture(1, .star(.any)), .plus(.space), .lit("("), .capture(2, .star(.any)), .lit(")"), .end,
    ]))
}
