/// Writes protobuf wire data by hand, for tests that need layouts our encoder (and
/// pprof's) never produce: unpacked fields, odd field orders, unknown fields, damage.
struct WireBuilder {
    var bytes: [UInt8] = []

    init() {}
    init(_ build: (inout WireBuilder) -> Void) { build(&self) }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func tag(_ field: UInt64, _ wire: UInt64) { varint(field << 3 | wire) }

    mutating func uint(_ field: UInt64, _ value: UInt64) {
        tag(field, 0)
        varint(value)
    }

    mutating func int(_ field: UInt64, _ value: Int64) { uint(field, UInt64(bitPattern: value)) }

    mutating func bytes(_ field: UInt64, _ payload: [UInt8]) {
        tag(field, 2)
        varint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    mutating func string(_ field: UInt64, _ text: String) { bytes(field, Array(text.utf8)) }

    mutating func message(_ field: UInt64, _ build: (inout WireBuilder) -> Void) {
        bytes(field, WireBuilder(build).bytes)
    }

    mutating func packed(_ field: UInt64, _ values: [UInt64]) {
        var payload = WireBuilder()
        for value in values { payload.varint(value) }
        bytes(field, payload.bytes)
    }

    mutating func fixed32(_ field: UInt64, _ value: UInt32) {
        tag(field, 5)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func fixed64(_ field: UInt64, _ value: UInt64) {
        tag(field, 1)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// One unknown field of each wire type (0, 1, 2, 5), numbered past any real field.
    mutating func unknownFields() {
        uint(100, 12345)
        fixed64(101, 0xDEAD_BEEF_CAFE_F00D)
        bytes(102, [0x08, 0x01, 0xFF, 0x00])
        fixed32(103, 0xFEED_FACE)
    }
}

/// A small but complete profile written field by field, in several equivalent layouts.
/// String table: 0 "", 1 samples, 2 count, 3 cpu, 4 nanoseconds, 5 main.main,
/// 6 main.go, 7 main.work, 8 /bin/app, 9 worker, 10 alpha, 11 bytes, 12 a comment.
struct HandBuiltProfile {
    var packed = true
    var reordered = false
    var unknown = false

    static let strings = ["", "samples", "count", "cpu", "nanoseconds", "main.main", "main.go", "main.work",
                          "/bin/app", "worker", "alpha", "bytes", "a comment"]

    var bytes: [UInt8] {
        var parts: [[UInt8]] = []
        let unknown = self.unknown
        func part(_ build: (inout WireBuilder) -> Void) {
            parts.append(WireBuilder { w in
                build(&w)
                if unknown { w.unknownFields() }
            }.bytes)
        }
        func list(_ w: inout WireBuilder, _ field: UInt64, _ values: [UInt64]) {
            if packed { w.packed(field, values) } else { for value in values { w.uint(field, value) } }
        }
        part { w in
            w.message(1) { $0.uint(1, 1); $0.uint(2, 2) }
            w.message(1) { $0.uint(1, 3); $0.uint(2, 4) }
        }
        part { w in
            w.message(2) { s in
                if reordered {
                    // Repeated elements keep their relative order; only field positions change.
                    s.message(3) { $0.uint(2, 10); $0.uint(1, 9) }
                    s.message(3) { $0.uint(3, 4096); $0.uint(1, 11); if unknown { $0.unknownFields() } }
                    list(&s, 2, [7, 70_000_000])
                    list(&s, 1, [2, 1])
                } else {
                    list(&s, 1, [2, 1])
                    list(&s, 2, [7, 70_000_000])
                    s.message(3) { $0.uint(1, 9); $0.uint(2, 10) }
                    s.message(3) { $0.uint(1, 11); $0.uint(3, 4096); if unknown { $0.unknownFields() } }
                }
                if unknown { s.unknownFields() }
            }
            w.message(2) { s in
                list(&s, 1, [1])
                list(&s, 2, [3, 30_000_000])
            }
        }
        part { w in
            w.message(3) { m in
                let fields: [(UInt64, UInt64)] = [(1, 1), (2, 0x400000), (3, 0x500000), (4, 0), (5, 8), (7, 1), (8, 1), (9, 1)]
                for (field, value) in (reordered ? fields.reversed() : fields) { m.uint(field, value) }
            }
        }
        part { w in
            for (id, function, line) in [(UInt64(1), UInt64(1), UInt64(10)), (2, 2, 20)] {
                w.message(4) { l in
                    if reordered {
                        l.message(4) { $0.uint(2, line); $0.uint(1, function); if unknown { $0.unknownFields() } }
                        l.uint(3, 0x401000 + id * 16)
                        l.uint(2, 1)
                        l.uint(1, id)
                    } else {
                        l.uint(1, id)
                        l.uint(2, 1)
                        l.uint(3, 0x401000 + id * 16)
                        l.message(4) { $0.uint(1, function); $0.uint(2, line) }
                    }
                }
            }
        }
        part { w in
            for (id, name) in [(UInt64(1), UInt64(5)), (2, 7)] {
                w.message(5) { f in
                    let fields: [(UInt64, UInt64)] = [(1, id), (2, name), (3, name), (4, 6), (5, id * 3)]
                    for (field, value) in (reordered ? fields.reversed() : fields) { f.uint(field, value) }
                }
            }
        }
        part { w in
            for string in Self.strings { w.string(6, string) }
        }
        part { w in
            w.uint(9, 1_700_000_000_000_000_000)
            w.uint(10, 10_000_000_000)
            w.message(11) { $0.uint(1, 3); $0.uint(2, 4) }
            w.uint(12, 10_000_000)
            list(&w, 13, [12])
            w.uint(14, 3)
        }
        if reordered { parts.reverse() }
        return parts.flatMap { $0 }
    }
}
