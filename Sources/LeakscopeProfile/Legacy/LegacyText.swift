import Foundation

/// A half-open range of bytes inside the input being parsed.
struct ByteSpan: Equatable {
    var start: Int
    var end: Int
    var count: Int { end - start }
    var isEmpty: Bool { end <= start }
    static let empty = ByteSpan(start: 0, end: 0)
}

/// The legacy text formats as a sequence of lines over one byte buffer, read the way
/// Go's `bufio.Scanner` with `ScanLines` reads them: split at `\n`, one trailing `\r`
/// dropped, no empty token after a final newline. Lines carry their 1-based number.
struct LineReader {
    let text: UnsafeBufferPointer<UInt8>
    /// Where the next line starts.
    private(set) var position: Int
    /// The line most recently returned by `next()`; empty before the first and after the last.
    private(set) var current = ByteSpan.empty
    /// 1-based number of `current`; the number of lines read so far.
    private(set) var lineNumber = 0

    init(_ text: UnsafeBufferPointer<UInt8>, from position: Int = 0) {
        self.text = text
        self.position = position
    }

    /// Advances to the next line; false (and an empty `current`) at the end of input,
    /// like `Scanner.Scan`.
    @discardableResult
    mutating func next() -> Bool {
        guard position < text.count else {
            current = .empty
            return false
        }
        let start = position
        var end = text.count
        if let base = text.baseAddress, let found = memchr(base + start, 10, text.count - start) {
            end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        position = end < text.count ? end + 1 : end
        var lineEnd = end
        if lineEnd > start && text[lineEnd - 1] == 13 { lineEnd -= 1 }
        current = ByteSpan(start: start, end: lineEnd)
        lineNumber += 1
        return true
    }

    /// The current line with surrounding whitespace removed.
    var trimmed: ByteSpan { text.trim(current) }
}

extension UnsafeBufferPointer where Element == UInt8 {
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    func trim(_ span: ByteSpan) -> ByteSpan {
        var s = span.start
        var e = span.end
        while s < e && Self.isSpace(self[s]) { s += 1 }
        while e > s && Self.isSpace(self[e - 1]) { e -= 1 }
        return ByteSpan(start: s, end: e)
    }

    /// pprof's `isSpaceOrComment`: blank, or `#` first after leading whitespace.
    func isSpaceOrComment(_ span: ByteSpan) -> Bool {
        let t = trim(span)
        return t.isEmpty || self[t.start] == UInt8(ascii: "#")
    }

    func hasPrefix(_ span: ByteSpan, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard span.count >= n else { return false }
        let p = prefix.utf8Start
        for i in 0..<n where self[span.start + i] != p[i] { return false }
        return true
    }

    func equals(_ span: ByteSpan, _ literal: StaticString) -> Bool {
        span.count == literal.utf8CodeUnitCount && hasPrefix(span, literal)
    }

    func equalBytes(_ a: ByteSpan, _ b: ByteSpan) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where self[a.start + i] != self[b.start + i] { return false }
        return true
    }

    /// Offset of the first occurrence of `needle` in `span`, or nil.
    func find(_ needle: StaticString, in span: ByteSpan) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard n > 0, span.count >= n, let base = baseAddress else { return nil }
        let p = needle.utf8Start
        var i = span.start
        let last = span.end - n
        while i <= last {
            // memchr finds candidates for the first byte quickly.
            guard let hit = memchr(base + i, Int32(p[0]), last - i + 1) else { return nil }
            i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + i, p, n) == 0 { return i }
            i += 1
        }
        return nil
    }

    func contains(_ span: ByteSpan, _ needle: StaticString) -> Bool { find(needle, in: span) != nil }

    func string(_ span: ByteSpan) -> String {
        guard !span.isEmpty else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: self[span.start..<span.end]), as: UTF8.self)
    }

    func bytes(_ span: ByteSpan) -> [UInt8] {
        guard !span.isEmpty else { return [] }
        return Array(self[span.start..<span.end])
    }

    /// A short printable excerpt of a line for error messages.
    func excerpt(_ span: ByteSpan, limit: Int = 80) -> String {
        let cut = ByteSpan(start: span.start, end: Swift.min(span.end, span.start + limit))
        var s = string(cut)
        if cut.end < span.end { s += "…" }
        return s
    }
}

/// Go `strconv` parsing of the digit strings the legacy formats contain.
enum GoInt {
    /// `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits, no overflow.
    static func parseDecimal(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Int64? {
        var i = span.start
        guard i < span.end else { return nil }
        var negative = false
        if t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+") {
            negative = t[i] == UInt8(ascii: "-")
            i += 1
        }
        guard let magnitude = parseUnsigned(t, ByteSpan(start: i, end: span.end), base: 10) else { return nil }
        return signed(magnitude, negative: negative)
    }

    /// `strconv.ParseInt(s, 0, 64)`: base from the prefix (`0x`, `0o`, `0b`, leading `0` = octal).
    static func parseAnyBase(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Int64? {
        var i = span.start
        guard i < span.end else { return nil }
        var negative = false
        if t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+") {
            negative = t[i] == UInt8(ascii: "-")
            i += 1
        }
        guard let magnitude = parseUnsignedAnyBase(t, ByteSpan(start: i, end: span.end)) else { return nil }
        return signed(magnitude, negative: negative)
    }

    /// `strconv.ParseUint(s, 0, 64)`.
    static func parseUnsignedAnyBase(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> UInt64? {
        var i = span.start
        guard i < span.end else { return nil }
        var base: UInt64 = 10
        if t[i] == UInt8(ascii: "0") && span.end - i > 1 {
            switch t[i + 1] | 0x20 {
            case UInt8(ascii: "x"): base = 16; i += 2
            case UInt8(ascii: "o"): base = 8; i += 2
            case UInt8(ascii: "b"): base = 2; i += 2
            default: base = 8; i += 1
            }
        }
        return parseUnsigned(t, ByteSpan(start: i, end: span.end), base: base, allowUnderscores: true)
    }

    /// Digits in `base` with overflow detection; nil when empty or invalid.
    static func parseUnsigned(_ t: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, base: UInt64,
                              allowUnderscores: Bool = false) -> UInt64? {
        guard span.start < span.end else { return nil }
        var value: UInt64 = 0
        var sawDigit = false
        for i in span.start..<span.end {
            let c = t[i]
            if allowUnderscores && c == UInt8(ascii: "_") { continue }
            guard let d = UnsafeBufferPointer<UInt8>.hexValue(c), UInt64(d) < base else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            value = s
            sawDigit = true
        }
        return sawDigit ? value : nil
    }

    private static func signed(_ magnitude: UInt64, negative: Bool) -> Int64? {
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// Go's `int64(f)` on amd64: values that do not fit (and NaN) become `math.MinInt64`.
    static func truncating(_ f: Double) -> Int64 {
        guard f.isFinite, f > -9_223_372_036_854_775_808.0 - 1, f < 9_223_372_036_854_775_808.0 else {
            return Int64.min
        }
        return Int64(f)
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// pprof's `parseHexAddresses`: every `0x[0-9a-f]+` in `span`, in order. Nil when one of
    /// them does not fit in 64 bits (pprof rejects the sample then).
    func hexAddresses(in span: ByteSpan, into out: inout [UInt64]) -> Bool {
        var i = span.start
        while i + 2 < span.end {
            if self[i] == UInt8(ascii: "0") && self[i + 1] == UInt8(ascii: "x") && isLowerHex(self[i + 2]) {
                var j = i + 2
                while j < span.end && isLowerHex(self[j]) { j += 1 }
                guard let v = GoInt.parseUnsigned(self, ByteSpan(start: i + 2, end: j), base: 16) else { return false }
                out.append(v)
                i = j
            } else {
                i += 1
            }
        }
        return true
    }

    @inline(__always) func isLowerHex(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 97 && c <= 102) }
}
