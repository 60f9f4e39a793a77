/// Text from input made safe for a terminal: control characters are escaped as Go's `%q` escapes
/// them (`\r`, `\x1b`, `\u0085`), so a function name or label holding a carriage return or an
/// escape sequence cannot rewrite the screen, change the title or hide a line.
public enum TerminalText {
    /// `text` with every control character (C0, DEL, C1, and the line/paragraph separators)
    /// escaped; other characters, quotes and backslashes unchanged.
    public static func escapeControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars { append(scalar, to: &out) }
        return out
    }

    /// Go's `%q`: double-quoted, with quotes, backslashes and control characters escaped.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: append(scalar, to: &out)
            }
        }
        return out + "\""
    }

    /// Escapes the control bytes of UTF-8 output bound for a terminal. Newlines and tabs stay (they
    /// are the layout); with `keepingColor`, SGR colour sequences (`ESC [ digits ; … m`), which
    /// leakscope's own coloured views emit, stay too.
    public static func sanitize(_ bytes: [UInt8], keepingColor: Bool) -> [UInt8] {
        var index = 0
        // Fast path: nothing to escape.
        if !bytes.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) {
            return bytes
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x1B && keepingColor, let end = sgrEnd(bytes, index) {
                out.append(contentsOf: bytes[index..<end])
                index = end
                continue
            }
            if (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F {
                var escaped = ""
                append(Unicode.Scalar(byte), to: &escaped)
                out.append(contentsOf: escaped.utf8)
                index += 1
                continue
            }
            // C1 controls (U+0080–U+009F: C2 80–C2 9F) and U+2028/U+2029 (E2 80 A8/A9).
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                out.append(contentsOf: "\\u00\(hex(bytes[index + 1] & 0xFF))".utf8)
                index += 2
                continue
            }
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                out.append(contentsOf: "\\u20\(hex(bytes[index + 2] - 0x80))".utf8)
                index += 3
                continue
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    private static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + hex(UInt8(scalar.value))
            } else if isControl(scalar) {
                let digits = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }

    /// The end of a colour sequence starting at `start` (`ESC [ n ; … m` whose every parameter
    /// is a colour, bold, dim or reset, as leakscope's views emit), or nil. Other SGR parameters
    /// (conceal, blink) are escaped like any other control sequence.
    private static func sgrEnd(_ bytes: [UInt8], _ start: Int) -> Int? {
        var index = start + 1
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        index += 1
        var parameter = 0
        var digits = 0
        while index < bytes.count, index - start < 32 {
            let byte = bytes[index]
            if byte == UInt8(ascii: "m") || byte == UInt8(ascii: ";") {
                guard allowedColour(parameter) else { return nil }
                if byte == UInt8(ascii: "m") { return index + 1 }
                parameter = 0
                digits = 0
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), digits < 3 {
                parameter = parameter * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            } else {
                return nil
            }
            index += 1
        }
        return nil
    }

    private static func allowedColour(_ parameter: Int) -> Bool {
        [0, 1, 2, 22, 39, 49].contains(parameter) || (30...37).contains(parameter) || (90...97).contains(parameter)
    }
}
