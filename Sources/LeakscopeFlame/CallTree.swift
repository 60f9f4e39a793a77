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

    /// Open-addressing table of node indices keyed by (parent, frame); -1 = empty.
    private var slots: [Int32] = .init(repeating: -1, count: 1024)
    private var mask = 1023

    var count: Int { parent.count }

    /// Adds every sample of `profile` with a non-zero value at `valueIndex`, into the new
    /// (`intoBase == false`) or base values. Frames come from `frames`, built for this profile.
    mutating func add(_ profile: Profile, valueIndex: Int, frames: LocationFrames, intoBase: Bool,
                      keep: (Int64) -> Int64? = { $0 }) {
        for sample in profile.samples {
            guard valueIndex >= 0, valueIndex < sample.values.count,
                  let value = keep(sample.values[valueIndex]), value != 0 else { continue }
            var node: Int32 = 0
            // Sample locations are leaf first; the tree grows from the root.
            for location in sample.locations.reversed() {
                for position in frames.range(of: location) {
                    node = child(of: node, frame: frames.frames[position])
                }
            }
            if intoBase {
                selfBase[Int(node)] = selfBase[Int(node)] &+ value
            } else {
                selfValue[Int(node)] = selfValue[Int(node)] &+ value
            }
        }
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
        for p in 0..<count where start[p + 1] - start[p] > 1 {
            list[Int(start[p])..<Int(start[p + 1])].sort { rank[Int(frame[Int($0)])] < rank[Int(frame[Int($1)])] }
        }
        return (start, list)
    }

    private mutating func child(of node: Int32, frame f: Int32) -> Int32 {
        var slot = Self.hash(node, f) & mask
        while true {
            let candidate = slots[slot]
            if candidate < 0 { break }
            if parent[Int(candidate)] == node && frame[Int(candidate)] == f { return candidate }
            slot = (slot &+ 1) & mask
        }
        let created = Int32(parent.count)
        parent.append(node)
        frame.append(f)
        selfValue.append(0)
        selfBase.append(0)
        slots[slot] = created
        if parent.count * 2 > slots.count { grow() }
        return created
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = .init(repeating: -1, count: capacity)
        mask = capacity - 1
        for i in 1..<parent.count {
            var slot = Self.hash(parent[i], frame[i]) & mask
            while slots[slot] >= 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(i)
        }
    }

    @inline(__always)
    private static func hash(_ node: Int32, _ frame: Int32) -> Int {
        var h = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: frame))
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
