/// A forward-only reader over the bytes of one line. Every read checks bounds and overflow, so
/// hostile input (cut lines, 40-digit numbers, binary junk) makes a read fail rather than trap.
package struct LineCursor {
    package let bytes: UnsafeRawBufferPointer
    package var position: Int
    package let end: Int

    package init(_ bytes: UnsafeRawBufferPointer, from position: Int = 0) {
        self.bytes = bytes
        self.position = position
        self.end = bytes.count
    }

    package var atEnd: Bool { position >= end }
    package var peek: UInt8? { position < end ? bytes[position] : nil }

    package func byte(at offset: Int) -> UInt8? {
        let index = position &+ offset
        return index >= 0 && index < end ? bytes[index] : nil
    }

    /// Consumes `literal` if the bytes at the position spell it.
    package mutating func expect(_ literal: StaticString) -> Bool {
        let matched = literal.withUTF8Buffer { text -> Bool in
            guard end - position >= text.count else { return false }
            for i in 0..<text.count where bytes[position + i] != text[i] { return false }
            return true
        }
        if matched { position += literal.utf8CodeUnitCount }
        return matched
    }

    /// Whether the bytes at the position spell `literal`, without consuming them.
    package func looksAt(_ literal: StaticString) -> Bool {
        var copy = self
        return copy.expect(literal)
    }

    package mutating func skipSpaces() {
        while position < end, bytes[position] == 0x20 { position += 1 }
    }

    /// A non-negative decimal integer. Nil when there is no digit or it does not fit in an `Int`.
    package mutating func integer() -> Int? {
        let start = position
        var value = 0
        while position < end, case let digit = bytes[position], digit >= 0x30, digit <= 0x39 {
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int(digit - 0x30))
            if overflowA || overflowB { return nil }
            value = sum
            position += 1
        }
        return position > start ? value : nil
    }

    /// A non-negative decimal such as `12`, `0.018` or `3.456`, rounded exactly as `Double("3.456")`
    /// would be (digits are collected as an integer, then divided by a power of ten). Nil when malformed
    /// or when the whole part does not fit in an `Int`.
    package mutating func decimal() -> Double? {
        guard var mantissa = integer() else { return nil }
        var scale = 0
        if peek == UInt8(ascii: ".") {
            position += 1
            let start = position
            while position < end, case let digit = bytes[position], digit >= 0x30, digit <= 0x39 {
                // Digits past what a Double can hold exactly are read but ignored.
                if scale < 15, mantissa < 100_000_000_000_000 {
                    mantissa = mantissa * 10 + Int(digit - 0x30)
                    scale += 1
                }
                position += 1
            }
            if position == start { return nil }
        }
        return scale == 0 ? Double(mantissa) : Double(mantissa) / Self.powersOfTen[scale]
    }

    private static let powersOfTen: [Double] = (0...15).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Skips to just after the next `byte`; false (and at the end) if there is none.
    package mutating func skip(past byte: UInt8) -> Bool {
        while position < end {
            let current = bytes[position]
            position += 1
            if current == byte { return true }
        }
        return false
    }
}

extension UInt8 {
    /// Letters, digits and `_`: a runtime marker must not be glued to one of these on its left.
    package var isWordByte: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) || self == 0x5F
    }
    package var isDigit: Bool { self >= 0x30 && self <= 0x39 }
}

/// A short, printable head of some bytes for messages: at most `limit` characters, control bytes shown as `?`.
package func printableHead(_ bytes: UnsafeRawBufferPointer, limit: Int = 60) -> String {
    var head: [UInt8] = []
    head.reserveCapacity(min(bytes.count, limit * 4))
    for byte in bytes.prefix(limit * 4) {
        head.append(byte < 0x20 || byte == 0x7F ? UInt8(ascii: "?") : byte)
    }
    var text = String(decoding: head, as: UTF8.self)
    if text.count > limit { text = String(text.prefix(limit)) + "…" } else if bytes.count > head.count { text += "…" }
    return text
}
