import LeakscopeProfile
import LeakscopeFormat

/// Which sample values a report adds up.
struct ValueSelector: Sendable {
    var index: Int
    /// `-mean`: the value that divides (sample index 0), or nil.
    var meanDivisorIndex: Int?

    @inline(__always) func value(_ values: [Int64]) -> Int64 {
        index < values.count ? values[index] : 0
    }
    @inline(__always) func divisor(_ values: [Int64]) -> Int64 {
        guard let d = meanDivisorIndex, d < values.count else { return 0 }
        return values[d]
    }
}

/// Flat and cumulative weights per node (pprof's `graph.Node` values).
struct NodeWeights {
    var flat: [Int64]
    var flatDiv: [Int64]
    var cum: [Int64]
    var cumDiv: [Int64]

    init(count: Int) {
        flat = Array(repeating: 0, count: count)
        flatDiv = flat; cum = flat; cumDiv = flat
    }

    func flatValue(_ n: Int) -> Int64 { flatDiv[n] == 0 ? flat[n] : flat[n] / flatDiv[n] }
    func cumValue(_ n: Int) -> Int64 { cumDiv[n] == 0 ? cum[n] : cum[n] / cumDiv[n] }

    /// One pass over the samples: every node on a stack gains the sample's value once
    /// (a generation stamp stands in for a per-sample set), the leaf gains it as flat.
    static func accumulate(_ profile: Profile, table: NodeTable, values: ValueSelector) -> NodeWeights {
        var flat = [Int64](repeating: 0, count: table.count)
        var flatDiv = flat, cum = flat, cumDiv = flat
        var stamp = [UInt32](repeating: 0, count: table.count)
        var generation: UInt32 = 0
        table.locationStart.withUnsafeBufferPointer { starts in
        table.locationNodes.withUnsafeBufferPointer { nodes in
        stamp.withUnsafeMutableBufferPointer { stamp in
        cum.withUnsafeMutableBufferPointer { cum in
        cumDiv.withUnsafeMutableBufferPointer { cumDiv in
        profile.samples.withUnsafeBufferPointer { samples in
            for sample in samples {
                let v = values.value(sample.values)
                let dv = values.divisor(sample.values)
                if v == 0 && dv == 0 { continue }
                generation &+= 1
                if generation == 0 {  // wrapped: reset stamps
                    for i in 0..<stamp.count { stamp[i] = 0 }
                    generation = 1
                }
                var leaf = -1
                var li = sample.locations.count - 1
                while li >= 0 {
                    let location = sample.locations[li]
                    let start = Int(starts[location]), end = Int(starts[location + 1])
                    var i = end - 1
                    while i >= start {
                        let n = Int(nodes[i])
                        if stamp[n] != generation {
                            stamp[n] = generation
                            cum[n] &+= v
                            cumDiv[n] &+= dv
                        }
                        leaf = n
                        i -= 1
                    }
                    li -= 1
                }
                if leaf >= 0 {
                    flat[leaf] &+= v
                    flatDiv[leaf] &+= dv
                }
            }
        }}}}}}
        var w = NodeWeights(count: 0)
        w.flat = flat; w.flatDiv = flatDiv; w.cum = cum; w.cumDiv = cumDiv
        return w
    }
}

/// Caller→callee edges between kept nodes (pprof's `graph.Edge`).
struct EdgeSet {
    var source: [Int32] = []
    var destination: [Int32] = []
    var weight: [Int64] = []
    var weightDiv: [Int64] = []
    var inline: [Bool] = []
    var residual: [Bool] = []
    /// Removed by edge trimming.
    var removed: [Bool] = []
    /// Edge indices per node.
    var incoming: [[Int32]] = []
    var outgoing: [[Int32]] = []

    var count: Int { source.count }

    /// Builds the edges pprof's `newGraph` would, with only `kept` nodes present
    /// (nil = all). Frames of dropped nodes make the bridging edge residual.
    static func build(_ profile: Profile, table: NodeTable, values: ValueSelector, kept: [Bool]?,
                      destinations: [Bool]? = nil) -> EdgeSet {
        var edges = EdgeSet()
        var index = EdgeIndex(capacity: 1024)
        var stamp: [UInt32] = []
        var generation: UInt32 = 0
        let present = kept ?? Array(repeating: true, count: table.count)
        let wanted = destinations ?? Array(repeating: true, count: table.count)
        table.locationStart.withUnsafeBufferPointer { starts in
        table.locationNodes.withUnsafeBufferPointer { nodes in
        present.withUnsafeBufferPointer { present in
        wanted.withUnsafeBufferPointer { wanted in
        profile.samples.withUnsafeBufferPointer { samples in
            for sample in samples {
                let v = values.value(sample.values)
                let dv = values.divisor(sample.values)
                if v == 0 && dv == 0 { continue }
                generation &+= 1
                if generation == 0 {
                    for i in 0..<stamp.count { stamp[i] = 0 }
                    generation = 1
                }
                var parent: Int32 = -1
                var residual = false
                var li = sample.locations.count - 1
                while li >= 0 {
                    let location = sample.locations[li]
                    li -= 1
                    let start = Int(starts[location]), end = Int(starts[location + 1])
                    var i = end - 1
                    while i >= start {
                        let n = nodes[i]
                        if !present[Int(n)] {
                            residual = true
                            i -= 1
                            continue
                        }
                        if parent >= 0 && n != parent && wanted[Int(n)] {
                            let e = index.findOrInsert(parent, n, nextIndex: Int32(edges.count))
                            if e == Int32(edges.count) {
                                edges.source.append(parent)
                                edges.destination.append(n)
                                edges.weight.append(0)
                                edges.weightDiv.append(0)
                                edges.inline.append(true)
                                edges.residual.append(false)
                                stamp.append(0)
                            }
                            let ei = Int(e)
                            if stamp[ei] != generation {
                                stamp[ei] = generation
                                edges.weight[ei] &+= v
                                edges.weightDiv[ei] &+= dv
                                if residual { edges.residual[ei] = true }
                                if i == end - 1 { edges.inline[ei] = false }
                            }
                        }
                        parent = n
                        residual = false
                        i -= 1
                    }
                }
            }
        }}}}}
        edges.removed = Array(repeating: false, count: edges.count)
        edges.incoming = Array(repeating: [], count: table.count)
        edges.outgoing = Array(repeating: [], count: table.count)
        for e in 0..<edges.count {
            edges.incoming[Int(edges.destination[e])].append(Int32(e))
            edges.outgoing[Int(edges.source[e])].append(Int32(e))
        }
        return edges
    }

    /// Removes `node` from a tree (pprof's `TrimTree` step): its callees hang from its caller by
    /// residual edges, inline only if both calls were; a root's callees become roots.
    mutating func spliceOut(_ node: Int) {
        let live = outgoing[node].filter { !removed[Int($0)] }
        outgoing[node] = []
        guard let into = incoming[node].first(where: { !removed[Int($0)] }).map(Int.init) else {
            for e in live { removed[Int(e)] = true }
            return
        }
        let caller = Int(source[into])
        removed[into] = true
        for e in live.map(Int.init) {
            source[e] = Int32(caller)
            outgoing[caller].append(Int32(e))
            residual[e] = true
            inline[e] = inline[into] && inline[e]
        }
    }

    /// Drops edges into `listed` nodes lighter than `cutoff`; returns how many.
    mutating func trim(below cutoff: Int64, into listed: [Int]) -> Int {
        var dropped = 0
        for n in listed {
            for e in incoming[n] where !removed[Int(e)] {
                if MeasurementFormat.abs64(weight[Int(e)]) < cutoff {
                    removed[Int(e)] = true
                    dropped += 1
                }
            }
        }
        return dropped
    }
}

/// Open-addressing map from a (source, destination) node pair to an edge index.
struct EdgeIndex {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private var used = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: .max, count: size)
        values = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// Index of the pair's edge, or `nextIndex` after recording it as new.
    mutating func findOrInsert(_ a: Int32, _ b: Int32, nextIndex: Int32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
        var slot = Self.slot(key, mask)
        while true {
            let k = keys[slot]
            if k == key { return values[slot] }
            if k == .max {
                keys[slot] = key
                values[slot] = nextIndex
                used += 1
                if used * 2 > keys.count { grow() }
                return nextIndex
            }
            slot = (slot + 1) & mask
        }
    }

    /// Fibonacci hashing from the product's top bits, which every key bit reaches (a call tree's
    /// keys differ mostly in their high half, the caller).
    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        let bits = UInt64(mask.nonzeroBitCount)
        return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> (64 - bits)) & mask
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: .max, count: oldKeys.count * 2)
        values = Array(repeating: -1, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (i, k) in oldKeys.enumerated() where k != .max {
            var slot = Self.slot(k, mask)
            while keys[slot] != .max { slot = (slot + 1) & mask }
            keys[slot] = k
            values[slot] = oldValues[i]
        }
    }
}
