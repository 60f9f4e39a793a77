/// An open-addressing index from 64-bit hashes to entries of some table the caller owns.
///
/// It stores only entry numbers and their hashes; the caller checks equality against its own
/// storage, so stacks, label sets and creation sites are each kept once without a Swift
/// `Dictionary` (whose SipHash over arrays would dominate parsing time).
struct HashIndex: Sendable {
    /// 0 = empty, otherwise entry + 1.
    private var slots: ContiguousArray<Int32> = ContiguousArray(repeating: 0, count: 256)
    private var hashes: ContiguousArray<UInt64> = []

    var count: Int { hashes.count }

    /// The entry with this hash for which `isEqual` holds, if any.
    @inline(__always)
    func find(hash: UInt64, _ isEqual: (Int32) -> Bool) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let index = entry - 1
            if hashes[Int(index)] == hash && isEqual(index) { return index }
            slot = (slot + 1) & mask
        }
    }

    /// Records entry number `count` (the next one) under `hash`; returns that number.
    @discardableResult
    mutating func append(hash: UInt64) -> Int32 {
        let index = Int32(truncatingIfNeeded: hashes.count)
        hashes.append(hash)
        if hashes.count * 2 > slots.count {
            slots = ContiguousArray(repeating: 0, count: slots.count * 2)
            for (i, h) in hashes.enumerated() { place(Int32(i), h) }
        } else {
            place(index, hash)
        }
        return index
    }

    private mutating func place(_ index: Int32, _ hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = index + 1
    }
}

@inline(__always)
func hashCombine(_ h: UInt64, _ v: UInt64) -> UInt64 {
    NameTable.mix(h ^ (v &+ 0x9E37_79B9_7F4A_7C15 &+ (h << 6) &+ (h >> 2)))
}

extension Frame {
    @inline(__always)
    var hashValue64: UInt64 {
        let a = UInt64(function.rawValue) | UInt64(file.rawValue) << 32
        let b = UInt64(UInt32(bitPattern: line)) | UInt64(pcOffset) << 32
        return hashCombine(hashCombine(a, b), UInt64(flags.rawValue))
    }
}
