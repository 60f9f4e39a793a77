import Dispatch
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
                      samples range: Range<Int>? = nil, keep: (Int64) -> Int64? = { $0 }) {
        guard valueIndex >= 0 else { return }
        let range = range ?? profile.samples.indices
        reserve(nodes: parent.count + range.count * 2)
        // Unsafe views of the samples and frame tables: iterating `Sample` values retains their
        // arrays on every step.
        profile.samples.withUnsafeBufferPointer { samples in
            frames.offsets.withUnsafeBufferPointer { offsets in
                frames.frames.withUnsafeBufferPointer { frameIDs in
                    for index in range {
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

    /// Adds `other`'s nodes and values: a node of `other` lands on the node of the same frame path.
    /// Node numbers of the result differ from one tree built from all samples, the tree does not.
    mutating func merge(_ other: CallTree) {
        reserve(nodes: count + other.count)
        var mapped = [Int32](repeating: 0, count: other.count)
        for i in 1..<other.count {
            let node = child(of: mapped[Int(other.parent[i])], frame: other.frame[i])
            mapped[i] = node
            selfValue[Int(node)] = selfValue[Int(node)] &+ other.selfValue[i]
            selfBase[Int(node)] = selfBase[Int(node)] &+ other.selfBase[i]
        }
        selfValue[0] = selfValue[0] &+ other.selfValue[0]
        selfBase[0] = selfBase[0] &+ other.selfBase[0]
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

    /// From this many samples (all inputs together) the HTML page's tree is built on two threads:
    /// two trees of half the samples each, merged. Below it the threads cost more than they save.
    package static let parallelSamples = 50_000

    /// `parallelFrom`: build on two threads when there are at least this many samples. The tree is
    /// the same; its node numbers are not, so outputs that list nodes in number order (speedscope)
    /// keep the default, one thread.
    package init(_ profile: Profile, valueIndex: Int, base: Profile? = nil, options: PprofOptions,
         splitNegatives: Bool = false, parallelFrom: Int = .max) {
        let frames = LocationFrames(profile: profile, options: options, table: &table)
        var jobs: [Job] = []
        if let base {
            let baseFrames = LocationFrames(profile: base, options: options, table: &table)
            jobs = [Job(profile: profile, frames: frames, intoBase: false, keep: .all),
                    Job(profile: base, frames: baseFrames, intoBase: true, keep: .all)]
            hasBase = true
        } else if splitNegatives, profile.samples.contains(where: { valueIndex < $0.values.count && $0.values[valueIndex] < 0 }) {
            // A -diff_base profile is new samples plus base samples scaled by -1: pull them apart.
            jobs = [Job(profile: profile, frames: frames, intoBase: false, keep: .positive),
                    Job(profile: profile, frames: frames, intoBase: true, keep: .negated)]
            hasBase = true
        } else {
            jobs = [Job(profile: profile, frames: frames, intoBase: false, keep: .all)]
        }
        let samples = jobs.reduce(0) { $0 + $1.profile.samples.count }
        if samples >= parallelFrom {
            tree = Self.buildOnTwoThreads(jobs, valueIndex: valueIndex)
        } else {
            for job in jobs { job.add(to: &tree, valueIndex: valueIndex, samples: job.profile.samples.indices) }
        }
    }

    /// One `CallTree.add` to run: which samples go into which values.
    struct Job: @unchecked Sendable {
        enum Keep { case all, positive, negated }
        let profile: Profile
        let frames: LocationFrames
        let intoBase: Bool
        let keep: Keep

        func add(to tree: inout CallTree, valueIndex: Int, samples: Range<Int>) {
            switch keep {
            case .all: tree.add(profile, valueIndex: valueIndex, frames: frames, intoBase: intoBase, samples: samples)
            case .positive:
                tree.add(profile, valueIndex: valueIndex, frames: frames, intoBase: intoBase, samples: samples) { $0 > 0 ? $0 : nil }
            case .negated:
                tree.add(profile, valueIndex: valueIndex, frames: frames, intoBase: intoBase, samples: samples) { $0 < 0 ? 0 &- $0 : nil }
            }
        }
    }

    /// The first half of every job's samples on this thread, the second half on another, then one
    /// tree merged into the other (in that order, so the result does not depend on timing).
    private static func buildOnTwoThreads(_ jobs: [Job], valueIndex: Int) -> CallTree {
        var halves = [CallTree(), CallTree()]
        halves.withUnsafeMutableBufferPointer { trees in
            nonisolated(unsafe) let trees = trees
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                for job in jobs {
                    let all = job.profile.samples.indices
                    let middle = all.lowerBound + all.count / 2
                    job.add(to: &trees[half], valueIndex: valueIndex,
                            samples: half == 0 ? all.lowerBound..<middle : middle..<all.upperBound)
                }
            }
        }
        var tree = halves[0]
        halves[0] = CallTree()
        tree.merge(halves[1])
        return tree
    }
}
