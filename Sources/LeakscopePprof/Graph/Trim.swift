import LeakscopeFormat
import LeakscopeProfile

/// How a report graph is trimmed and ordered (pprof's report options).
struct GraphOptions: Sendable {
    var nodeCount = 0
    var nodeFraction = 0.0
    var edgeFraction = 0.0
    var cumSort = false
    var dropNegative = false
    /// Edges cost a second pass; text reports need them only for inline labels.
    var needEdges = true
    /// Only edges into inlined nodes (enough for text reports' inline labels).
    var onlyInlineCandidates = false
}

/// The trimmed, sorted graph a text/tree report prints (pprof's `newTrimmedGraph`).
struct ReportGraph {
    var table: NodeTable
    var weights: NodeWeights
    /// Nodes shown, in report order.
    var nodes: [Int] = []
    var edges: EdgeSet? = nil
    /// Node count after the node-fraction cut, before `-nodecount`.
    var origCount = 0
    var droppedNodes = 0
    var droppedEdges = 0

    init(profile: Profile, table: NodeTable, values: ValueSelector, options: GraphOptions) {
        self.table = table
        weights = NodeWeights.accumulate(profile, table: table, values: values)
        var listed: [Int] = []
        for n in 0..<table.count {
            if weights.cum[n] == 0 && weights.flat[n] == 0 { continue }
            if options.dropNegative && Self.isNegative(weights, n) { continue }
            listed.append(n)
        }
        var total: Int64 = 0
        for n in listed { total &+= weights.flat[n] }
        let nodeCutoff = MeasurementFormat.abs64(MeasurementFormat.truncate(Double(total) * options.nodeFraction))
        let edgeCutoff = MeasurementFormat.abs64(MeasurementFormat.truncate(Double(total) * options.edgeFraction))

        // A rebuild with a kept set leaves node weights unchanged (flat goes to the
        // leaf only when it is kept); it changes which edges exist.
        var kept: [Bool]? = nil
        if nodeCutoff > 0 {
            let above = listed.filter { MeasurementFormat.abs64(weights.cum[$0]) >= nodeCutoff }
            if above.count != listed.count {
                droppedNodes = listed.count - above.count
                listed = above
                kept = Self.mask(listed, table.count)
            }
        }
        origCount = listed.count
        sort(&listed, cum: options.cumSort)
        if options.nodeCount > 0 && listed.count > options.nodeCount {
            listed = Array(listed.prefix(options.nodeCount))
            kept = Self.mask(listed, table.count)
        }
        nodes = listed
        let needEdges = options.needEdges && (!options.onlyInlineCandidates || listed.contains { table.inlinedNodes[$0] })
        if needEdges {
            var built = EdgeSet.build(profile, table: self.table, values: values, kept: kept,
                                      destinations: options.onlyInlineCandidates ? table.inlinedNodes : nil)
            droppedEdges = built.trim(below: edgeCutoff, into: listed)
            edges = built
        }
    }

    /// A graph built elsewhere (a call tree), showing `nodes`.
    init(table: NodeTable, weights: NodeWeights, nodes: [Int], edges: EdgeSet) {
        self.table = table
        self.weights = weights
        self.nodes = nodes
        self.edges = edges
    }

    private static func mask(_ nodes: [Int], _ count: Int) -> [Bool] {
        var m = [Bool](repeating: false, count: count)
        for n in nodes { m[n] = true }
        return m
    }

    static func isNegative(_ w: NodeWeights, _ n: Int) -> Bool {
        w.flat[n] < 0 || (w.flat[n] == 0 && w.cum[n] < 0)
    }

    /// pprof's FlatNameOrder / CumNameOrder.
    private mutating func sort(_ nodes: inout [Int], cum: Bool) {
        var names: [Int: [UInt8]] = [:]
        for n in nodes { names[n] = table.printableName(n) }
        let w = weights
        let t = table
        func nameLess(_ l: Int, _ r: Int) -> Bool? {
            let a = t.infos[l], b = t.infos[r]
            if a.address != 0 && b.address != 0 && a.address != b.address { return a.address < b.address }
            let ln = names[l]!, rn = names[r]!
            if ln == rn { return nil }
            return ln.lexicographicallyPrecedes(rn)
        }
        nodes.sort { l, r in
            if l == r { return false }
            let (p1l, p1r) = cum ? (MeasurementFormat.abs64(w.cum[l]), MeasurementFormat.abs64(w.cum[r])) : (MeasurementFormat.abs64(w.flat[l]), MeasurementFormat.abs64(w.flat[r]))
            if p1l != p1r { return p1l > p1r }
            if let less = nameLess(l, r) { return less }
            let (p2l, p2r) = cum ? (MeasurementFormat.abs64(w.flat[l]), MeasurementFormat.abs64(w.flat[r])) : (MeasurementFormat.abs64(w.cum[l]), MeasurementFormat.abs64(w.cum[r]))
            if p2l != p2r { return p2l > p2r }
            return t.goSprint(l).lexicographicallyPrecedes(t.goSprint(r))
        }
    }

    /// Sum of flat values of the shown nodes (pprof's `graphTotal`).
    var shownTotal: Int64 {
        var total: Int64 = 0
        for n in nodes { total &+= weights.flatValue(n) }
        return total
    }

    /// Edges into (or out of) `node`, in pprof's edge order.
    mutating func sortedEdges(of node: Int, incoming: Bool) -> [Int] {
        guard let edges else { return [] }
        let list = (incoming ? edges.incoming[node] : edges.outgoing[node]).map(Int.init).filter { !edges.removed[$0] }
        var names: [Int32: [UInt8]] = [:]
        for e in list {
            let s = edges.source[e], d = edges.destination[e]
            if names[s] == nil { names[s] = table.printableName(Int(s)) }
            if names[d] == nil { names[d] = table.printableName(Int(d)) }
        }
        return list.sorted { a, b in
            let wa = MeasurementFormat.abs64(edges.weight[a]), wb = MeasurementFormat.abs64(edges.weight[b])
            if wa != wb { return wa > wb }
            let sa = names[edges.source[a]]!, sb = names[edges.source[b]]!
            if sa != sb { return sa.lexicographicallyPrecedes(sb) }
            return names[edges.destination[a]]!.lexicographicallyPrecedes(names[edges.destination[b]]!)
        }
    }
}
