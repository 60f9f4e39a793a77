// Small byte-level helpers shared by the text parsers. They take a line as an
// `UnsafeRawBufferPointer` and never allocate. Searches use libc's vectorised memchr/memrchr.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package typealias ByteLine = UnsafeRawBufferPointer

extension UnsafeRawBufferPointer {
    @inline(__always)
    package func byte(_ i: Int) -> UInt8 { self[i] }

    /// Whether the bytes at `at` spell `literal`.
    @inline(__always)
    package func has(_ literal: StaticString, at: Int = 0) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard at >= 0, at + n <= count else { return false }
        let p = literal.utf8Start
        for i in 0..<n where self[at + i] != p[i] { return false }
        return true
    }

    @inline(__always)
    package func ends(with literal: StaticString) -> Bool { has(literal, at: count - literal.utf8CodeUnitCount) }

    /// The sub-buffer `lo..<hi` (clamped).
    @inline(__always)
    package func sub(_ lo: Int, _ hi: Int) -> UnsafeRawBufferPointer {
        let l = Swift.max(0, Swift.min(lo, count)), h = Swift.max(l, Swift.min(hi, count))
        return UnsafeRawBufferPointer(rebasing: self[l..<h])
    }

    /// First index of `byte` in `from..<count`, or nil.
    @inline(__always)
    package func index(of byte: UInt8, from: Int = 0) -> Int? {
        guard from < count, let base = baseAddress, let p = memchr(base + from, Int32(byte), count - from) else { return nil }
        return UnsafeRawPointer(p) - base
    }

    /// Last index of `byte` before `before` (default: the end), or nil. Scans 8 bytes at a time
    /// (memrchr is a GNU extension Swift does not import).
    @inline(__always)
    package func lastIndex(of byte: UInt8, before: Int? = nil) -> Int? {
        var end = Swift.min(before ?? count, count)
        guard end > 0, let base = baseAddress else { return nil }
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        while end >= 8 {
            let x = base.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self) ^ pattern
            if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0 {
                // Some byte of this word matches (the test can over-report only above a real match).
                var i = end - 1
                while i >= end - 8 {
                    if self[i] == byte { return i }
                    i -= 1
                }
            }
            end -= 8
        }
        while end > 0 {
            end -= 1
            if self[end] == byte { return end }
        }
        return nil
    }

    package var asString: String { String(decoding: self, as: UTF8.self) }

    /// The line for messages: at most 80 bytes, then an ellipsis.
    package var excerpt: String {
        count <= 80 ? asString : sub(0, 80).asString + "…"
    }
}

@inline(__always) package func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
@inline(__always) package func isSpaceOrTab(_ b: UInt8) -> Bool { b == 32 || b == 9 }

/// Decimal digits at `i`: (value, index after them), or nil if none or over `Int64.max`.
@inline(__always)
package func parseDecimal(_ s: ByteLine, _ start: Int) -> (value: Int64, end: Int)? {
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
package func parseHex(_ s: ByteLine, _ start: Int) -> (value: UInt64, end: Int)? {
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
package func clampToInt32(_ v: Int64) -> Int32 { v > Int64(Int32.max) ? Int32.max : Int32(v) }

/// Reads a label key or value at `start`: a Go-quoted string (`"a \"b\""`, with `\n \t \xNN
/// \uNNNN \UNNNNNNNN` escapes) or a bare run of bytes up to `:`, `,` or `}`. Returns the index
/// after the token and the token's bytes: a slice of `s` when it needs no unescaping, else the
/// decoded bytes in `scratch`. Nil if a quote is unclosed or an escape is malformed.
package func readLabelToken(_ s: ByteLine, _ start: Int, scratch: inout [UInt8]) -> (end: Int, raw: Range<Int>?)? {
    var i = start
    guard i < s.count else { return (i, i..<i) }
    if s[i] != UInt8(ascii: "\"") {
        // Bare: the runtime leaves [A-Za-z0-9./_] unquoted; be liberal and stop at the separators.
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: ":") || c == UInt8(ascii: ",") || c == UInt8(ascii: "}") { break }
            i += 1
        }
        return (i, start..<i)
    }
    i += 1
    let contentStart = i
    // Fast path: no backslash before the closing quote.
    while i < s.count {
        let c = s[i]
        if c == UInt8(ascii: "\"") { return (i + 1, contentStart..<i) }
        if c == UInt8(ascii: "\\") { break }
        i += 1
    }
    guard i < s.count else { return nil }
    scratch.removeAll(keepingCapacity: true)
    for k in contentStart..<i { scratch.append(s[k]) }
    while i < s.count {
        let c = s[i]
        if c == UInt8(ascii: "\"") { return (i + 1, nil) }
        if c != UInt8(ascii: "\\") {
            scratch.append(c)
            i += 1
            continue
        }
        guard i + 1 < s.count else { return nil }
        let e = s[i + 1]
        i += 2
        switch e {
        case UInt8(ascii: "n"): scratch.append(10)
        case UInt8(ascii: "t"): scratch.append(9)
        case UInt8(ascii: "r"): scratch.append(13)
        case UInt8(ascii: "a"): scratch.append(7)
        case UInt8(ascii: "b"): scratch.append(8)
        case UInt8(ascii: "f"): scratch.append(12)
        case UInt8(ascii: "v"): scratch.append(11)
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): scratch.append(e)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let width = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
            guard i + width <= s.count, let (v, end) = parseHex(s.sub(i, i + width), 0), end == width else { return nil }
            i += width
            if e == UInt8(ascii: "x") {
                scratch.append(UInt8(truncatingIfNeeded: v))
            } else {
                guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: v)) else { return nil }
                scratch.append(contentsOf: String(Character(scalar)).utf8)
            }
        default:
            return nil
        }
    }
    return nil
}
