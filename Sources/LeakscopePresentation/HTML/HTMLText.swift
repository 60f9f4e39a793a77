import LeakscopeFlame

/// Text placed in HTML by the report pages (flame graph, goroutines, diagnose).
public enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities: safe in element content and in quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII, let entity = entity(UInt8(scalar.value)) {
                out += entity
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The same escape over UTF-8 bytes, appended to `out`; runs without a special byte are
    /// copied whole. Safe on multi-byte characters: every byte of one is 0x80 or above.
    static func escape(_ bytes: [UInt8], into out: inout ByteWriter) {
        out.bytes.reserveCapacity(out.bytes.count + bytes.count)
        var copied = 0
        for (i, byte) in bytes.enumerated() {
            guard let entity = entity(byte) else { continue }
            out.bytes.append(contentsOf: bytes[copied..<i])
            out.append(entity)
            copied = i + 1
        }
        out.bytes.append(contentsOf: bytes[copied...])
    }

    private static func entity(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }
}
