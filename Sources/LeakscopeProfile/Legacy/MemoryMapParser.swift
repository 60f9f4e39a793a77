/// Reads the memory-map section of legacy profiles: `/proc/self/maps` lines, pprof's
/// brief `start-end: file (@offset) buildid` lines, glog prefixes, and `name=value`
/// lines that define `$name` for the lines after them. Unrecognised lines are skipped.
enum MemoryMapParser {
    /// pprof's sentinels that start the memory-map section.
    static func isSentinel(_ text: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> Bool {
        text.contains(line, "--- Memory map: ---") || text.contains(line, "MAPPED_LIBRARIES:")
    }

    /// Parses every remaining line of `reader` as part of a memory map.
    static func parse(_ reader: inout LineReader) -> [Mapping] {
        var mappings: [Mapping] = []
        var substitutions: [(name: [UInt8], value: [UInt8])] = []
        let text = reader.text
        while reader.next() {
            var line = reader.current
            if let match = PatternSearch.find(logPrefix, in: text, span: line) {
                line.start = match[group: 0].end
            }
            if substitutions.isEmpty {
                parseLine(text, line, into: &mappings, substitutions: &substitutions)
            } else {
                let replaced = substitute(Array(text[line.start..<line.end]), substitutions)
                replaced.withUnsafeBufferPointer { buffer in
                    parseLine(buffer, ByteSpan(start: 0, end: buffer.count), into: &mappings,
                              substitutions: &substitutions)
                }
            }
        }
        return mappings
    }

    private static func parseLine(_ text: UnsafeBufferPointer<UInt8>, _ line: ByteSpan, into mappings: inout [Mapping],
                                  substitutions: inout [(name: [UInt8], value: [UInt8])]) {
        switch entry(text, line) {
        case .mapping(let m): mappings.append(m)
        case .notExecutable: break
        case .unrecognized:
            // `name = value` defines `$name` for later lines.
            var i = line.start
            while i < line.end && text[i] != UInt8(ascii: "=") { i += 1 }
            if i < line.end {
                let name = text.trim(ByteSpan(start: line.start, end: i))
                let value = text.trim(ByteSpan(start: i + 1, end: line.end))
                substitutions.append(([UInt8(ascii: "$")] + text.bytes(name), text.bytes(value)))
            }
        }
    }

    /// Go's `strings.Replacer`: left to right, at each position the first name (in
    /// definition order) that matches is replaced; replacements are not rescanned.
    private static func substitute(_ line: [UInt8], _ subs: [(name: [UInt8], value: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var i = 0
        scan: while i < line.count {
            for (name, value) in subs where !name.isEmpty && i + name.count <= line.count {
                if line[i..<(i + name.count)].elementsEqual(name) {
                    out.append(contentsOf: value)
                    i += name.count
                    continue scan
                }
            }
            out.append(line[i])
            i += 1
        }
        return out
    }

    private enum Entry {
        case mapping(Mapping)
        case notExecutable
        case unrecognized
    }

    private static func entry(_ text: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> Entry {
        var start = ByteSpan.empty, end = ByteSpan.empty, perm = ByteSpan.empty
        var file = ByteSpan.empty, offset = ByteSpan.empty, buildID = ByteSpan.empty
        if let m = PatternSearch.find(procMaps, in: text, span: line) {
            (start, end, perm, offset, file) = (m[group: 1], m[group: 2], m[group: 3], m[group: 4], m[group: 5])
        } else if let m = PatternSearch.find(briefMaps, in: text, span: line) {
            (start, end, perm, file, offset, buildID) =
                (m[group: 1], m[group: 2], m[group: 3], m[group: 4], m[group: 5], m[group: 6])
        } else {
            return .unrecognized
        }
        if !perm.isEmpty {
            var executable = false
            for i in perm.start..<perm.end where text[i] == UInt8(ascii: "x") { executable = true }
            if !executable { return .notExecutable }
        }
        var mapping = Mapping(id: 0)
        mapping.file = text.string(file)
        mapping.buildID = text.string(buildID)
        guard let s = GoInt.parseUnsigned(text, start, base: 16),
              let e = GoInt.parseUnsigned(text, end, base: 16) else { return .unrecognized }
        mapping.start = s
        mapping.limit = e
        if !offset.isEmpty {
            guard let o = GoInt.parseUnsigned(text, offset, base: 16) else { return .unrecognized }
            mapping.offset = o
        }
        return .mapping(mapping)
    }

    // `^\s*(?:0x)?([[:xdigit:]]+)[\s-]?\s*(?:0x)?([[:xdigit:]]+):?`
    private static let hexRange: [BytePattern] = [
        .start, .star(.space), .optional(.lit("0x")), .capture(1, .plus(.xdigit)),
        .maybe(ByteClass.space.union(ByteClass("-"))), .star(.space), .optional(.lit("0x")),
        .capture(2, .plus(.xdigit)), .maybe(ByteClass(":")),
    ]
    private static let perm = BytePattern.optional(.sequence([.plus(.space), .capture(3, .plus(ByteClass("-rwxp")))]))

    /// pprof's `procMapsRE`: `start-end perms offset dev inode [file]`.
    private static let procMaps = CompiledPattern(BytePattern.sequence(hexRange + [
        perm,
        .optional(.sequence([.plus(.space), .capture(4, .plus(.xdigit))])),
        .plus(.space), .plus(.xdigit), .lit(":"), .plus(.xdigit),
        .plus(.space), .plus(.digit),
        .optional(.sequence([.plus(.space), .capture(5, .plus(.nonSpace))])),
    ]))

    /// pprof's `briefMapsRE`: `start-end [perms] [file] [(@offset)] [buildid]`.
    private static let briefMaps = CompiledPattern(BytePattern.sequence(hexRange + [
        perm,
        .optional(.sequence([.plus(.space), .capture(4, .plus(.nonSpace))])),
        .optional(.sequence([.plus(.space), .lit("(@"), .capture(5, .plus(.xdigit)), .lit(")")])),
        .optional(.sequence([.plus(.space), .capture(6, .plus(.xdigit))])),
    ]))

    /// glog's `file.cc:123] ` prefix: `^[^\[\]]+:[0-9]+]\s`.
    private static let logPrefix = CompiledPattern(BytePattern.sequence([
        .start, .plus(ByteClass("[]").inverted), .lit(":"), .plus(.digit), .lit("]"), .one(.space),
    ]))
}
