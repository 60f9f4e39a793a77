/// Appends protobuf wire data to a byte array, the way pprof's encoder lays it out.
struct WireWriter {
    var bytes: [UInt8] = []

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always)
    mutating func tag(_ field: UInt64, _ wire: WireType) {
        varint(field << 3 | UInt64(wire.rawValue))
    }

    @inline(__always)
    mutating func uint64(_ field: UInt64, _ value: UInt64) {
        tag(field, .varint)
        varint(value)
    }

    /// Writes the field only when it is not zero (pprof's `…Opt` helpers).
    @inline(__always)
    mutating func uint64Opt(_ field: UInt64, _ value: UInt64) {
        if value != 0 { uint64(field, value) }
    }

    @inline(__always)
    mutating func int64Opt(_ field: UInt64, _ value: Int64) {
        if value != 0 { uint64(field, UInt64(bitPattern: value)) }
    }

    @inline(__always)
    mutating func boolOpt(_ field: UInt64, _ value: Bool) {
        if value { uint64(field, 1) }
    }

    mutating func string(_ field: UInt64, _ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            tag(field, .lengthDelimited)
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Repeated integers: packed only when there are more than two, as pprof writes them.
    mutating func repeated<C: Collection>(_ field: UInt64, _ values: C) where C.Element == UInt64 {
        if values.count > 2 {
            let mark = beginMessage()
            for value in values { varint(value) }
            endMessage(field, mark)
        } else {
            for value in values { uint64(field, value) }
        }
    }

    /// Starts a length-delimited field whose size is not known yet.
    @inline(__always)
    func beginMessage() -> Int { bytes.count }

    /// Finishes the field started at `mark`: inserts its tag and length before the body.
    mutating func endMessage(_ field: UInt64, _ mark: Int) {
        let length = bytes.count &- mark
        let key = field << 3 | UInt64(WireType.lengthDelimited.rawValue)
        let headerCount = Self.varintSize(key) &+ Self.varintSize(UInt64(length))
        bytes.append(contentsOf: repeatElement(0, count: headerCount))
        bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Shift the body right (regions overlap; update(from:) copies safely) and fill the gap.
            (base + mark + headerCount).update(from: base + mark, count: length)
            var at = base + mark
            Self.put(key, at: &at)
            Self.put(UInt64(length), at: &at)
        }
    }

    @inline(__always)
    private static func put(_ value: UInt64, at pointer: inout UnsafeMutablePointer<UInt8>) {
        var value = value
        while value >= 0x80 {
            pointer.pointee = UInt8(truncatingIfNeeded: value) | 0x80
            pointer += 1
            value >>= 7
        }
        pointer.pointee = UInt8(truncatingIfNeeded: value)
        pointer += 1
    }

    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var value = value
        while value >= 0x80 {
            size &+= 1
            value >>= 7
        }
        return size
    }
}
