/// Reads the comment lines Go's `runtime/pprof` writes under each sample of a `debug=1`
/// profile, which `go tool pprof` throws away:
///
///     #	0x4b8c19	main.worker+0x39	/src/main.go:42
///     # labels: {"worker":"7"}
///
/// Frames become `Line`s of the location at that PC (the PC Go prints is already the
/// call instruction, i.e. the sample address minus one, which is the location address).
/// Inlined calls print several frames with the same PC, innermost first: they form one
/// location with several lines. Labels go to the sample the comment follows.
struct GoFrameComments {
    private var groupPC: UInt64? = nil
    private var groupLocation: Int? = nil
    private var groupLines: [Line] = []
    /// The group's location already has lines; do not parse names again.
    private var groupKnown = false

    /// Handles one comment line (already known to start with `#` after whitespace).
    mutating func consume(_ text: UnsafeBufferPointer<UInt8>, _ line: ByteSpan, builder: inout LegacyProfileBuilder) {
        let t = text.trim(line)
        var i = t.start + 1  // past '#'
        while i < t.end && UnsafeBufferPointer<UInt8>.isSpace(text[i]) { i += 1 }
        if text.hasPrefix(ByteSpan(start: i, end: t.end), "0x") {
            frame(text, ByteSpan(start: i, end: t.end), builder: &builder)
        } else if text.hasPrefix(ByteSpan(start: i, end: t.end), "labels:") {
            flush(builder: &builder)
            guard !builder.samples.isEmpty,
                  let labels = Self.parseLabelSet(text, ByteSpan(start: i + 7, end: t.end)) else { return }
            builder.samples[builder.samples.count - 1].labels.append(contentsOf: labels)
        } else {
            flush(builder: &builder)
        }
    }

    /// Ends the current frame group (at a non-comment line or the end of input).
    mutating func flush(builder: inout LegacyProfileBuilder) {
        defer {
            groupPC = nil
            groupLocation = nil
            groupLines.removeAll(keepingCapacity: true)
            groupKnown = false
        }
        guard let location = groupLocation, !groupKnown, !groupLines.isEmpty else { return }
        builder.locations[location].lines = Self.withoutRepetition(groupLines)
    }

    private mutating func frame(_ text: UnsafeBufferPointer<UInt8>, _ rest: ByteSpan, builder: inout LegacyProfileBuilder) {
        var i = rest.start + 2
        let digitsStart = i
        while i < rest.end && UnsafeBufferPointer<UInt8>.hexValue(text[i]) != nil { i += 1 }
        guard let pc = GoInt.parseUnsigned(text, ByteSpan(start: digitsStart, end: i), base: 16) else {
            flush(builder: &builder)
            return
        }
        if pc != groupPC {
            flush(builder: &builder)
            groupPC = pc
            groupLocation = builder.locationByAddress[pc] ?? builder.locationByAddress[pc &- 1]
            groupKnown = groupLocation.map { !builder.locations[$0].lines.isEmpty } ?? true
        }
        if groupKnown { return }
        // Function field, then `file:line`. Go separates them with tabs (tabwriter pads with
        // tabs); fall back to spaces if the tabs were lost.
        while i < rest.end && UnsafeBufferPointer<UInt8>.isSpace(text[i]) { i += 1 }
        guard i < rest.end else { return }  // `#\t0x…` alone: no symbol for this PC
        var hasTab = false
        for k in i..<rest.end where text[k] == 9 { hasTab = true; break }
        let separator: UInt8 = hasTab ? 9 : 32
        var j = i
        while j < rest.end && text[j] != separator { j += 1 }
        var name = ByteSpan(start: i, end: j)
        // Drop the `+0x1f` offset from the entry.
        if let plus = Self.lastOffsetSuffix(text, name) { name.end = plus }
        let location = text.trim(ByteSpan(start: j, end: rest.end))
        var file = location
        var lineNumber: Int64 = 0
        var colon = location.end - 1
        while colon > location.start && UnsafeBufferPointer<UInt8>.isDigit(text[colon]) { colon -= 1 }
        if colon >= location.start, colon < location.end - 1, text[colon] == UInt8(ascii: ":"),
           let n = GoInt.parseDecimal(text, ByteSpan(start: colon + 1, end: location.end)) {
            file = ByteSpan(start: location.start, end: colon)
            lineNumber = n
        }
        let function = builder.function(name: text.string(name), file: text.string(file))
        groupLines.append(Line(function: function, line: lineNumber))
    }

    /// Start of a trailing `+0x<hex>` in `span`, if any.
    private static func lastOffsetSuffix(_ text: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Int? {
        var k = span.end - 1
        while k > span.start && UnsafeBufferPointer<UInt8>.hexValue(text[k]) != nil { k -= 1 }
        // k is at 'x' of "+0x" when the suffix is present.
        guard k - 2 >= span.start, k < span.end - 1, text[k] == UInt8(ascii: "x"),
              text[k - 1] == UInt8(ascii: "0"), text[k - 2] == UInt8(ascii: "+") else { return nil }
        return k - 2
    }

    /// Go 1.21+ block and mutex profiles repeat a return PC once per inlined frame and then
    /// print the whole inline chain for each copy; keep one chain.
    private static func withoutRepetition(_ lines: [Line]) -> [Line] {
        let n = lines.count
        guard n > 1 else { return lines }
        for period in 1...(n / 2) where n % period == 0 {
            var repeats = true
            for k in period..<n where lines[k] != lines[k - period] {
                repeats = false
                break
            }
            if repeats { return Array(lines[0..<period]) }
        }
        return lines
    }

    /// `{"key":"value", "k2":"v2"}` with Go-quoted strings, as printed by `labelMap.String`.
    /// Nil when the text is not such a set (the comment is then ignored, as pprof does).
    static func parseLabelSet(_ text: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> [Label]? {
        var i = span.start
        func skipSpaces() { while i < span.end && UnsafeBufferPointer<UInt8>.isSpace(text[i]) { i += 1 } }
        skipSpaces()
        guard i < span.end, text[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var labels: [Label] = []
        skipSpaces()
        if i < span.end && text[i] == UInt8(ascii: "}") { return labels }
        while true {
            skipSpaces()
            guard let key = GoQuoted.unquote(text, &i, end: span.end) else { return nil }
            skipSpaces()
            guard i < span.end, text[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpaces()
            guard let value = GoQuoted.unquote(text, &i, end: span.end) else { return nil }
            labels.append(.string(key, value))
            skipSpaces()
            guard i < span.end else { return nil }
            if text[i] == UInt8(ascii: "}") { return labels }
            guard text[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
    }
}

/// Go's `strconv.Unquote` for double-quoted strings.
enum GoQuoted {
    static func unquote(_ text: UnsafeBufferPointer<UInt8>, _ i: inout Int, end: Int) -> String? {
        guard i < end, text[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        var out: [UInt8] = []
        while i < end {
            let c = text[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < end else { return nil }
            let e = text[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(e)
            case UInt8(ascii: "x"):
                guard let v = hex(text, &i, end: end, digits: 2) else { return nil }
                out.append(UInt8(v))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                guard let v = hex(text, &i, end: end, digits: e == UInt8(ascii: "u") ? 4 : 8),
                      let scalar = Unicode.Scalar(v) else { return nil }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard i + 1 < end,
                      let d1 = octal(text[i]), let d2 = octal(text[i + 1]) else { return nil }
                let v = UInt32(e - 48) * 64 + UInt32(d1) * 8 + UInt32(d2)
                guard v <= 255 else { return nil }
                out.append(UInt8(v))
                i += 2
            default:
                return nil
            }
        }
        return nil
    }

    private static func octal(_ c: UInt8) -> UInt8? { c >= 48 && c <= 55 ? c - 48 : nil }

    private static func hex(_ text: UnsafeBufferPointer<UInt8>, _ i: inout Int, end: Int, digits: Int) -> UInt32? {
        guard i + digits <= end else { return nil }
        var v: UInt32 = 0
        for k in 0..<digits {
            guard let d = UnsafeBufferPointer<UInt8>.hexValue(text[i + k]) else { return nil }
            v = v * 16 + UInt32(d)
        }
        i += digits
        return v
    }
}
