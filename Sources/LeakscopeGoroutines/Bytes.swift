// Small byte-level helpers shared by the text parsers. They take a line as an
// `UnsafeRawBufferPointer` and never allocate.

typealias Line = UnsafeRawBufferPointer

extension UnsafeRawBufferPointer {
    @inline(__always)
    func byte(_ i: Int) -> UInt8 { self[i] }

    /// Whether the bytes at `at` spell `literal`.
    @inline(__always)
    func has(_ literal: StaticString, at: Int = 0) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard at >= 0, at + n <= count else { return false }
        let p = literal.utf8Start
        for i in 0..<n where self[at + i] != p[i] { return false }
        return true
    }

    @inline(__always)
    func ends(with literal: StaticString) -> Bool { has(literal, at: count - literal.utf8CodeUnitCount) }

    /// The sub-buffer `lo..<hi` (clamped).
    @inline(__always)
    func sub(_ lo: Int, _ hi: Int) -> UnsafeRawBufferPointer {
        let l = Swift.max(0, Swift.min(lo, count)), h = Swift.max(l, Swift.min(hi, count))
        return UnsafeRawBufferPointer(rebasing: self[l..<h])
    }

    /// First index of `byte` in `from..<count`, or nil.
    @inline(__always)
    func index(of byte: UInt8, from: Int = 0) -> Int? {
        var i = from
        while i < count {
            if self[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// Last index of `byte`, or nil.
    @inline(__always)
    func lastIndex(of byte: UInt8, before: Int? = nil) -> Int? {
        var i = (before ?? count) - 1
        while i >= 0 {
            if self[i] == byte { return i }
            i -= 1
        }
        return nil
    }

    var asString: String { String(decoding: self, as: UTF8.self) }

    /// The line for messages: at most 80 bytes, then an ellipsis.
    var excerpt: String {
        count <= 80 ? asString : sub(0, 80).asString + "…"
    }
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
@inline(__always) func isSpaceOrTab(_ b: UInt8) -> Bool { b == 32 || b == 9 }

/// Decimal digits at `i`: (value, index after them), or nil if none or over `Int64.max`.
@inline(__always)
func parseDecimal(_ s: Line, _ start: Int) -> (value: Int64, end: Int)? {
    var i = start
    var v: Int64 = 0
    while i < s.count, isDigit(s[i]) {
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int64(s[i] &- 48))
        if o1 || o2 { return nil }
        v = a
        i += 1
    }
    return i == start ? nil : (v, i)
}

/// Hex digits at `i` (after any `0x`): (value, index after), nil if none or over 64 bits.
@inline(__always)
func parseHex(_ s: Line, _ start: Int) -> (value: UInt64, end: Int)? {
    var i = start
    var v: UInt64 = 0
    while i < s.count {
        let c = s[i]
        let d: UInt8
        if isDigit(c) { d = c &- 48 } else if c >= 97 && c <= 102 { d = c &- 87 } else if c >= 65 && c <= 70 { d = c &- 55 } else { break }
        if v >> 60 != 0 { return nil }
        v = v << 4 | UInt64(d)
        i += 1
    }
    return i == start ? nil : (v, i)
}

@inline(__always)
func clampToInt32(_ v: Int64) -> Int32 { v > Int64(Int32.max) ? Int32.max : Int32(v) }

/// Reads a label key or value at `start`: a Go-quoted string (`"a \"b\""`, with `\n \t \xNN
/// \uNNNN \UNNNNNNNN` escapes) or a bare run of bytes up to one of `stops`. Appends the
/// decoded bytes to `out`; returns the index after the token, or nil if a quote is unclosed
/// or an escape is malformed.
func readLabelToken(_ s: Line, _ start: Int, into out: inout [UInt8]) -> Int? {
    var i = start
    guard i < s.count else { return i }
    if s[i] != UInt8(ascii: "\"") {
        // Bare: the runtime leaves [A-Za-z0-9./_] unquoted; be liberal and stop at the separators.
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: ":") || c == UInt8(ascii: ",") || c == UInt8(ascii: "}") { break }
            out.append(c)
            i += 1
        }
        return i
    }
    i += 1
    while i < s.count {
        let c = s[i]
        if c == UInt8(ascii: "\"") { return i + 1 }
        if c != UInt8(ascii: "\\") {
            out.append(c)
            i += 1
            continue
        }
        guard i + 1 < s.count else { return nil }
        let e = s[i + 1]
        i += 2
        switch e {
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "a"): out.append(7)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "v"): out.append(11)
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(e)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let width = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
            guard i + width <= s.count, let (v, end) = parseHex(s.sub(i, i + width), 0), end == width else { return nil }
            i += width
            if e == UInt8(ascii: "x") {
                out.append(UInt8(truncatingIfNeeded: v))
            } else {
                guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: v)) else { return nil }
                out.append(contentsOf: String(Character(scalar)).utf8)
            }
        default:
            return nil
        }
    }
    return nil
}
