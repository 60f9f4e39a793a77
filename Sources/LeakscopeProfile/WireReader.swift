/// Protobuf wire types (`tag & 7`). Groups (3, 4) are not accepted, as in pprof.
enum WireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5

    var name: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .fixed32: "fixed32"
        }
    }
}

/// A cursor over one protobuf message inside a larger byte buffer.
///
/// Positions are absolute offsets into the whole (decompressed) input, so every
/// error can say exactly where it happened. All reads are bounds-checked by hand
/// and never trap on hostile input.
struct WireReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    let end: Int

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// Running out of message is truncation only when the message is the whole input.
    private func pastEnd(_ what: String, at offset: Int) -> ProfileError {
        if end == bytes.count {
            return ProfileError(.truncated, "input ends inside \(what)", offset: offset)
        }
        return ProfileError(.malformed, "\(what) runs past the end of its enclosing message", offset: offset)
    }

    @inline(__always)
    mutating func readVarint() throws(ProfileError) -> UInt64 {
        // One- and two-byte varints (tags, small IDs and counts) are most of a profile.
        if position &+ 1 < end {
            let first = bytes[position]
            if first < 0x80 {
                position &+= 1
                return UInt64(first)
            }
            let second = bytes[position &+ 1]
            if second < 0x80 {
                position &+= 2
                return UInt64(first & 0x7F) | UInt64(second) << 7
            }
        } else if position < end, bytes[position] < 0x80 {
            position &+= 1
            return UInt64(bytes[position &- 1])
        }
        return try readVarintSlow()
    }

    private mutating func readVarintSlow() throws(ProfileError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        while true {
            guard index < end else { throw pastEnd("a varint", at: start) }
            let byte = bytes[index]
            index &+= 1
            if shift == 63 {
                // Tenth byte: only its lowest bit still fits in 64 bits.
                guard byte <= 1 else {
                    throw ProfileError(.malformed, "varint overflows 64 bits", offset: start)
                }
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift &+= 7
        }
        position = index
        return result
    }

    /// Reads a field key. Returns the field number and wire type.
    @inline(__always)
    mutating func readTag() throws(ProfileError) -> (field: UInt64, wireType: WireType) {
        let start = position
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: key & 7)) else {
            throw ProfileError(.malformed, "unknown wire type \(key & 7) for field \(key >> 3)", offset: start)
        }
        let field = key >> 3
        guard field != 0 else {
            throw ProfileError(.malformed, "field number 0 is not allowed", offset: start)
        }
        return (field, wireType)
    }

    /// Reads a length prefix and returns the range of the payload, moving past it.
    @inline(__always)
    mutating func readLengthDelimited() throws(ProfileError) -> Range<Int> {
        let start = position
        let length = try readVarint()
        let available = end &- position
        guard length <= UInt64(available) else {
            throw pastEnd("a length-delimited field of \(length) bytes (only \(available) left)", at: start)
        }
        let lower = position
        position = lower &+ Int(length)
        return lower..<position
    }

    /// Skips the value of a field this decoder does not know.
    mutating func skip(_ wireType: WireType) throws(ProfileError) {
        switch wireType {
        case .varint:
            _ = try readVarint()
        case .lengthDelimited:
            _ = try readLengthDelimited()
        case .fixed64, .fixed32:
            let size = wireType == .fixed64 ? 8 : 4
            guard end &- position >= size else { throw pastEnd("a \(wireType.name) field", at: position) }
            position &+= size
        }
    }

    /// Number of varints in a packed payload (bytes without the continuation bit);
    /// never more than the payload size, so it is safe to reserve.
    static func countVarints(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
        var count = 0
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] < 0x80 { count &+= 1 }
            index &+= 1
        }
        return count
    }
}
