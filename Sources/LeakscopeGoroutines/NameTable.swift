#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The number of a name in a `NameTable`. Frames, states and labels store these
/// instead of strings, so comparing and hashing them is an integer operation.
public struct NameID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number.
    public var rawValue: UInt32
    /// The name numbered `rawValue` in some table.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The empty name; every table holds it as ID 0.
    public static let empty = NameID(rawValue: 0)

    /// Orders by number, which is the order names were first interned.
    public static func < (a: NameID, b: NameID) -> Bool { a.rawValue < b.rawValue }
    /// `#N`: the ID, not the name (only the table knows that).
    public var description: String { "#\(rawValue)" }
}

/// Every distinct name (function, file, state, label key or value) of a dump, stored once.
///
/// Names live back to back in one byte arena; an open-addressing hash table maps bytes to
/// IDs. Interning from raw bytes allocates nothing when the name is already known, which is
/// what keeps parsing a 200k-goroutine dump cheap: its ~million frame lines name a few
/// hundred functions and files.
public struct NameTable: Sendable {
    /// UTF-8 bytes of all names, back to back.
    @usableFromInline var arena: ContiguousArray<UInt8> = []
    /// `starts[i]..<starts[i+1]` is name `i` in `arena`.
    @usableFromInline var starts: ContiguousArray<UInt32> = [0]
    /// The hash of each name, so growing the table never rehashes bytes.
    @usableFromInline var hashes: ContiguousArray<UInt64> = []
    /// Open-addressing slots: 0 is empty, otherwise ID + 1. Power-of-two size.
    @usableFromInline var slots: ContiguousArray<UInt32> = ContiguousArray(repeating: 0, count: 1024)
    /// A direct-mapped cache in front of the hash table, keyed by length and the first and last
    /// 8 bytes (ID + 1, 0 = empty). A dump names the same few hundred functions and files a
    /// million times; a hit costs one memcmp instead of hashing every byte. Entries are always
    /// verified, so a collision only costs a miss.
    @usableFromInline var recent: ContiguousArray<UInt32> = ContiguousArray(repeating: 0, count: 4096)

    /// A table holding only the empty name.
    public init() {
        _ = intern(bytes: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// How many distinct names the table holds (including the empty name).
    public var count: Int { hashes.count }

    /// The name with this ID. IDs come from this table; a foreign ID gives "".
    public subscript(id: NameID) -> String {
        let i = Int(id.rawValue)
        guard i < hashes.count else { return "" }
        let lo = Int(starts[i]), hi = Int(starts[i + 1])
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[lo..<hi]), as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of a name, without making a `String`.
    func withBytes<R>(of id: NameID, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let i = Int(id.rawValue)
        guard i < hashes.count else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let lo = Int(starts[i]), hi = Int(starts[i + 1])
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lo..<hi])) }
    }

    /// The ID of `name`, or nil when the table does not hold it.
    public func id(of name: String) -> NameID? {
        var copy = name
        return copy.withUTF8 { lookup(bytes: UnsafeRawBufferPointer($0), hash: NameTable.hash(UnsafeRawBufferPointer($0))) }
    }

    /// The ID of `name`, adding it if new.
    @discardableResult
    public mutating func intern(_ name: String) -> NameID {
        var copy = name
        return copy.withUTF8 { intern(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The ID of the name spelled by `bytes`, adding it if new.
    @inlinable
    mutating func intern(bytes: UnsafeRawBufferPointer) -> NameID {
        let n = bytes.count
        guard n >= 8, let base = bytes.baseAddress else { return intern(bytes: bytes, hash: NameTable.hash(bytes)) }
        let first = base.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let last = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        let key = Int(truncatingIfNeeded: ((first &* 0x9E37_79B9_7F4A_7C15) ^ (last &* 0xC2B2_AE3D_27D4_EB4F)
            ^ UInt64(truncatingIfNeeded: n) &* 0x1656_67B1_9E37_79F9) >> 52)
        let cached = recent[key]
        if cached != 0 {
            let id = Int(cached &- 1)
            let lo = Int(starts[id]), hi = Int(starts[id + 1])
            if hi - lo == n, arena.withUnsafeBytes({ memcmpBytes($0.baseAddress! + lo, base, n) }) {
                return NameID(rawValue: cached &- 1)
            }
        }
        let id = intern(bytes: bytes, hash: NameTable.hash(bytes))
        recent[key] = id.rawValue &+ 1
        return id
    }

    @usableFromInline
    func lookup(bytes: UnsafeRawBufferPointer, hash: UInt64) -> NameID? {
        slots.withUnsafeBufferPointer { slotBuffer in
            hashes.withUnsafeBufferPointer { hashBuffer in
                starts.withUnsafeBufferPointer { startBuffer in
                    arena.withUnsafeBytes { arenaBytes -> NameID? in
                        let mask = slotBuffer.count - 1
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        while true {
                            let entry = slotBuffer[slot]
                            if entry == 0 { return nil }
                            let id = Int(entry &- 1)
                            if hashBuffer[id] == hash {
                                let lo = Int(startBuffer[id]), hi = Int(startBuffer[id + 1])
                                if hi - lo == bytes.count
                                    && (bytes.count == 0 || memcmpBytes(arenaBytes.baseAddress! + lo, bytes.baseAddress!, bytes.count)) {
                                    return NameID(rawValue: entry &- 1)
                                }
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
    }

    @usableFromInline
    mutating func intern(bytes: UnsafeRawBufferPointer, hash: UInt64) -> NameID {
        if let known = lookup(bytes: bytes, hash: hash) { return known }
        let id = UInt32(truncatingIfNeeded: hashes.count)
        arena.append(contentsOf: bytes)
        starts.append(UInt32(truncatingIfNeeded: arena.count))
        hashes.append(hash)
        // Keep the load factor under one half so probes stay short.
        if hashes.count * 2 > slots.count { grow() } else { place(id: id, hash: hash) }
        return NameID(rawValue: id)
    }

    mutating func place(id: UInt32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id + 1
    }

    mutating func grow() {
        slots = ContiguousArray(repeating: 0, count: slots.count * 2)
        for id in 0..<hashes.count { place(id: UInt32(id), hash: hashes[id]) }
    }

    /// A fast non-cryptographic hash over bytes: one rotate-xor-multiply per 8-byte word (the
    /// last word overlaps the one before it rather than being read byte by byte), then a full
    /// mix so the low bits used to pick a slot depend on every byte.
    @inlinable
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: n &+ 1)
        guard let base = bytes.baseAddress, n > 0 else { return mix(h) }
        if n < 8 {
            var tail: UInt64 = 0
            var i = 0
            while i < n {
                tail = tail << 8 | UInt64(base.load(fromByteOffset: i, as: UInt8.self))
                i += 1
            }
            return mix(h ^ tail)
        }
        var i = 0
        while i + 8 < n {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = ((h << 5 | h >> 59) ^ word) &* 0x5170_95C7_5E7D_7C63
            i += 8
        }
        let last = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        h = ((h << 5 | h >> 59) ^ last) &* 0x5170_95C7_5E7D_7C63
        return mix(h)
    }

    @inlinable
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@usableFromInline
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    memcmp(a, b, count) == 0
}
