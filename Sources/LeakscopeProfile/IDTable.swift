/// Maps a message ID to its index in the profile's array: a dense array for the
/// usual small consecutive IDs, a dictionary for the rest (pprof does the same).
struct IDTable {
    private var dense: [Int]
    private var sparse: [UInt64: Int] = [:]

    init(capacity: Int) {
        dense = Array(repeating: -1, count: capacity &+ 1)
    }

    /// Records `id` at `index`; returns the earlier index if the ID was taken.
    mutating func insert(_ id: UInt64, at index: Int) -> Int? {
        if id < UInt64(dense.count) {
            let slot = Int(id)
            let earlier = dense[slot]
            if earlier >= 0 { return earlier }
            dense[slot] = index
            return nil
        }
        if let earlier = sparse[id] { return earlier }
        sparse[id] = index
        return nil
    }

    @inline(__always)
    func index(of id: UInt64) -> Int? {
        if id < UInt64(dense.count) {
            let index = dense[Int(id)]
            return index >= 0 ? index : nil
        }
        return sparse[id]
    }
}
