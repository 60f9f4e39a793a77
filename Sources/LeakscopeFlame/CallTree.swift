import LeakscopePprof
import LeakscopeProfile

/// A call tree: every distinct stack prefix is one node, identical prefixes merged.
///
/// Node 0 is the synthetic root (frame -1). A node's parent always has a smaller index, so
/// a single backwards pass turns self values into totals. Each node carries two values so a
/// base profile can be merged in for differential flame graphs.
package struct CallTree {
    private(set) var parent: [Int32] = [-1]
    private(set) var frame: [Int32] = [-1]
    /// Value of samples whose stack ends exactly at the node (new profile).
    package private(set) var selfValue: [Int64] = [0]
    /// Same for the base profile (all zero without one).
    package private(set) var selfBase: [Int64] = [0]

    /// Open-addressing table keyed by (parent, frame) packed in one word, `emptyKey` where free, with
    /// the node of each key in `slotNodes`: a probe compares keys in place (looking them up in
    /// `parent`/`frame` cost two more random reads per frame of every sample, a third of the first
    /// flame graph's time on a 300k-stack profile).
    private var slotKeys: [UInt64] = .init(repeating: emptyKey, count: 1024)
    private var slotNodes: [Int32] = .init(repeating: -1, count: 1024)
    private var mask = 1023
    /// No (parent, frame) packs to this: parents and frames are non-negative.
    private static let emptyKey = UInt64.max

    var count: Int { parent.count }

    /// Adds every sample of `profile` with a non-zero value at `valueIndex`, into the new
    /// (`intoBase == false`) or base values. Frames come from `frames`, built for this profile.
    mutating func add(_ profile: Profile, valueIndex: Int, frames: LocationFrames, intoBase: Bool,
                      keep: (Int64) -> Int64? = { $0 }) {
        guard valueIndex >= 0 else { return }
        reserve(nodes: parent.count + profile.samples.count * 2)
        // Unsafe views of the samples and frame tables: iterating `Sample` values retains their
        // arrays on every step.
        profile.samples.withUnsafeBufferPointer { samples in
            frames.offsets.withUnsafeBufferPointer { offsets in
                frames.frames.withUnsafeBufferPointer { frameIDs in
                    for index in samples.indices {
                        let values = samples[index].values
                        guard valueIndex < values.count, let value = keep(values[valueIndex]), value != 0 else { continue }
                        let node = samples[index].locations.withUnsafeBufferPointer { path(of: $0, offsets, frameIDs) }
                        if intoBase {
                            selfBase[Int(node)] = selfBase[Int(node)] &+ value
                        } else {
                            selfValue[Int(node)] = selfValue[Int(node)] &+ value
                        }
                    }
                }
            }
        }
    }

    /// The node of a sample's stack (locations leaf first; the tree grows from the root).
    @inline(__always)
    private mutating func path(of locations: UnsafeBufferPointer<Int>, _ offsets: UnsafeBufferPointer<Int>,
                               _ frameIDs: UnsafeBufferPointer<Int32>) -> Int32 {
        var node: Int32 = 0
        var i = locations.count
        while i > 0 {
            i -= 1
            let location = locations[i]
            guard location >= 0, location + 1 < offsets.count else { continue }
            for position in offsets[location]..<offsets[location + 1] {
                node = child(of: node, frame: frameIDs[position])
            }
        }
        return node
    }

    /// Inclusive values (node plus descendants) for the given self values.
    static func totals(of selfValues: [Int64], parent: [Int32]) -> [Int64] {
        var total = selfValues
        var i = total.count - 1
        while i > 0 {
            let p = Int(parent[i])
            total[p] = total[p] &+ total[i]
            i -= 1
        }
        return total
    }

    /// Children of each node as CSR arrays, ordered by `rank` of their frame.
    func children(orderedBy rank: [Int32]) -> (start: [Int32], list: [Int32]) {
        var start = [Int32](repeating: 0, count: count + 1)
        for i in 1..<count { start[Int(parent[i]) + 1] += 1 }
        for i in 0..<count { start[i + 1] += start[i] }
        var fill = Array(start[0..<count])
        var list = [Int32](repeating: 0, count: max(0, count - 1))
        for i in 1..<count {
            let p = Int(parent[i])
            list[Int(fill[p])] = Int32(i)
            fill[p] += 1
        }
        // The comparator reads through unsafe views: capturing the arrays retained them per comparison.
        rank.withUnsafeBufferPointer { rank in
            frame.withUnsafeBufferPointer { frame in
                list.withUnsafeMutableBufferPointer { list in
                    for p in 0..<count where start[p + 1] - start[p] > 1 {
                        var siblings = UnsafeMutableBufferPointer(rebasing: list[Int(start[p])..<Int(start[p + 1])])
                        siblings.sort { rank[Int(frame[Int($0)])] < rank[Int(frame[Int($1)])] }
                    }
                }
            }
        }
        return (start, list)
    }

    @inline(__always)
    private mutating func child(of node: Int32, frame f: Int32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: f))
        var slot = Self.hash(key) & mask
        while true {
            let candidate = slotKeys[slot]
            if candidate == key { return slotNodes[slot] }
            if candidate == Self.emptyKey { break }
            slot = (slot &+ 1) & mask
        }
        let created = Int32(parent.count)
        parent.append(node)
        frame.append(f)
        selfValue.append(0)
        selfBase.append(0)
        slotKeys[slot] = key
        slotNodes[slot] = created
        if parent.count * 2 > slotKeys.count { rehash(capacity: slotKeys.count * 2) }
        return created
    }

    /// Room for about `nodes` nodes without growing while a profile is added. The guess (two per
    /// sample) is capped, so a profile of few, deep samples does not grow the table past need.
    private mutating func reserve(nodes: Int) {
        let wanted = min(nodes, 1 << 22)
        parent.reserveCapacity(wanted)
        frame.reserveCapacity(wanted)
        selfValue.reserveCapacity(wanted)
        selfBase.reserveCapacity(wanted)
        var capacity = slotKeys.count
        while capacity < wanted * 2 { capacity *= 2 }
        if capacity > slotKeys.count { rehash(capacity: capacity) }
    }

    private mutating func rehash(capacity: Int) {
        slotKeys = .init(repeating: Self.emptyKey, count: capacity)
        slotNodes = .init(repeating: -1, count: capacity)
        mask = capacity - 1
        for i in 1..<parent.count {
            let key = UInt64(UInt32(bitPattern: parent[i])) << 32 | UInt64(UInt32(bitPattern: frame[i]))
            var slot = Self.hash(key) & mask
            while slotKeys[slot] != Self.emptyKey { slot = (slot &+ 1) & mask }
            slotKeys[slot] = key
            slotNodes[slot] = Int32(i)
        }
    }

    @inline(__always)
    private static func hash(_ key: UInt64) -> Int {
        var h = key
        h = (h ^ (h >> 33)) &* 0xff51afd7ed558ccd
        h = (h ^ (h >> 33)) &* 0xc4ceb9fe1a85ec53
        return Int(truncatingIfNeeded: h ^ (h >> 33))
    }
}

/// A profile (and optional base) turned into a call tree with named frames.
package struct FlameModel {
    package var table = FrameTable()
    package var tree = CallTree()
    /// True when `tree.selfBase` holds data (a base profile, or the negative part of a
    /// `-diff_base` profile).
    package var hasBase = false

    package init(_ profile: Profile, valueIndex: Int, base: Profile? = nil, options: PprofOptions,
         splitNegatives: Bool = false) {
        let frames = LocationFrames(profile: profile, options: options, table: &table)
        if let base {
            let baseFrames = LocationFrames(profile: base, options: options, table: &table)
            tree.add(profile, valueIndex: valueIndex, frames: frames, intoBase: false)
            tree.add(base, valueIndex: valueIndex, frames: baseFrames, intoBase: true)
            hasBase = true
        } else if splitNegatives, profile.samples.contains(where: { valueIndex < $0.values.count && $0.values[valueIndex] < 0 }) {
            // A -diff_base profile is new samples plus base samples scaled by -1: pull them apart.
            tree.add(profile, valueIndex: valueIndex, frames: frames, intoBase: false) { $0 > 0 ? $0 : nil }
            tree.add(profile, valueIndex: valueIndex, frames: frames, intoBase: true) { $0 < 0 ? 0 &- $0 : nil }
            hasBase = true
        } else {
            tree.add(profile, valueIndex: valueIndex, frames: frames, intoBase: false)
        }
    }
}
