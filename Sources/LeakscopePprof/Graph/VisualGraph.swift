#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeFormat
import LeakscopeProfile

/// The call graph a visual report draws (pprof's `newTrimmedGraph` in visual mode): nodes cut
/// by cum weight, ordered by entropy score, capped at `-nodecount` counting their tags, light
/// tags and edges trimmed, and residual edges dropped where another path connects the nodes.
struct VisualGraph {
    /// Nodes in draw order (entropy order), with their edges; `droppedEdges` as pprof reports it.
    var graph: ReportGraph
    /// Tags per node (only nodes with any).
    var tags: [Int: NodeTags]

    init(profile: Profile, table: NodeTable, values: ValueSelector, options: GraphOptions,
         numLabelUnits: [String: String], tagUnit: String) {
        var base = options
        base.nodeCount = 0
        base.edgeFraction = 0
        base.needEdges = true
        base.onlyInlineCandidates = false
        graph = ReportGraph(profile: profile, table: table, values: values, options: base)

        // The cutoffs come from the total of every node with weight, before the node cut.
        var total: Int64 = 0
        for n in 0..<table.count {
            let w = graph.weights
            if w.cum[n] == 0 && w.flat[n] == 0 { continue }
            if options.dropNegative && ReportGraph.isNegative(w, n) { continue }
            total &+= w.flat[n]
        }
        let nodeCutoff = MeasurementFormat.abs64(MeasurementFormat.truncate(Double(total) * options.nodeFraction))
        let edgeCutoff = MeasurementFormat.abs64(MeasurementFormat.truncate(Double(total) * options.edgeFraction))

        var wanted = [Bool](repeating: false, count: table.count)
        for n in graph.nodes { wanted[n] = true }
        tags = NodeTags.accumulate(profile, table: table, values: values, wanted: wanted,
                                   numLabelUnits: numLabelUnits, tagUnit: tagUnit)
        sortByEntropy()
        if options.nodeCount > 0 {
            trimTags(below: nodeCutoff)
            _ = graph.edges!.trim(below: edgeCutoff, into: graph.nodes)
            let top = topNodeCount(options.nodeCount)
            if top < graph.nodes.count {
                graph.nodes = Array(graph.nodes.prefix(top))
                var kept = [Bool](repeating: false, count: table.count)
                for n in graph.nodes { kept[n] = true }
                graph.edges = EdgeSet.build(profile, table: table, values: values, kept: kept)
                sortByEntropy()
            }
        }
        trimTags(below: nodeCutoff)
        graph.droppedEdges = graph.edges!.trim(below: edgeCutoff, into: graph.nodes)
        removeRedundantEdges()
    }

    mutating func trimTags(below cutoff: Int64) {
        for key in Array(tags.keys) { tags[key]!.trim(below: cutoff) }
    }

    /// pprof's visual `selectTopNodes`: each node counts as itself plus up to four tags.
    func topNodeCount(_ maxNodes: Int) -> Int {
        var count = 0
        for (i, n) in graph.nodes.enumerated() {
            count += min(tags[n]?.flatCount ?? 0, DotReport.maxNodelets) + 1
            if count >= maxNodes { return i + 1 }
        }
        return graph.nodes.count
    }

    private func liveEdges(of node: Int, incoming: Bool) -> [Int] {
        guard let edges = graph.edges else { return [] }
        return (incoming ? edges.incoming[node] : edges.outgoing[node]).map(Int.init).filter { !edges.removed[$0] }
    }

    /// pprof's `entropyScore`: nodes whose weight merely passes through score low.
    private func entropyScore(_ n: Int) -> Int64 {
        let edges = graph.edges!
        func edgeEntropy(_ list: [Int], _ own: Int64) -> Double {
            var score = 0.0
            var total = own
            for e in list where edges.weight[e] > 0 { total &+= MeasurementFormat.abs64(edges.weight[e]) }
            if total != 0 {
                for e in list {
                    let frac = Double(MeasurementFormat.abs64(edges.weight[e])) / Double(total)
                    score += -frac * GoMath.log2(frac)
                }
                if own > 0 {
                    let frac = Double(MeasurementFormat.abs64(own)) / Double(total)
                    score += -frac * GoMath.log2(frac)
                }
            }
            return score
        }
        let flat = graph.weights.flat[n], cum = graph.weights.cum[n]
        var score = 0.0
        let incoming = liveEdges(of: n, incoming: true), outgoing = liveEdges(of: n, incoming: false)
        score += incoming.isEmpty ? 1 : edgeEntropy(incoming, 0)
        score += outgoing.isEmpty ? 1 : edgeEntropy(outgoing, flat)
        return MeasurementFormat.truncate(score * Double(cum)) &+ flat
    }

    /// pprof's `EntropyOrder`: score, then name, then flat, then the full node info.
    mutating func sortByEntropy() {
        var score: [Int: Int64] = [:]
        var names: [Int: [UInt8]] = [:]
        for n in graph.nodes {
            score[n] = entropyScore(n)
            names[n] = graph.table.printableName(n)
        }
        let t = graph.table, w = graph.weights
        graph.nodes.sort { l, r in
            if l == r { return false }
            let sl = MeasurementFormat.abs64(score[l]!), sr = MeasurementFormat.abs64(score[r]!)
            if sl != sr { return sl > sr }
            let a = t.infos[l], b = t.infos[r]
            if a.address != 0 && b.address != 0 && a.address != b.address { return a.address < b.address }
            let ln = names[l]!, rn = names[r]!
            if ln != rn { return ln.lexicographicallyPrecedes(rn) }
            let fl = MeasurementFormat.abs64(w.flat[l]), fr = MeasurementFormat.abs64(w.flat[r])
            if fl != fr { return fl > fr }
            // A call tree's contexts of one function tie for good: skip printing them.
            if a == b { return false }
            return t.goSprint(l).lexicographicallyPrecedes(t.goSprint(r))
        }
    }

    /// pprof's `RemoveRedundantEdges`: from the last node up, drop its lightest residual incoming
    /// edges while another path still connects their ends.
    mutating func removeRedundantEdges() {
        for n in graph.nodes.reversed() {
            let incoming = graph.sortedEdges(of: n, incoming: true)
            for e in incoming.reversed() {
                if !graph.edges!.residual[e] { break }
                if isRedundant(e) { graph.edges!.removed[e] = true }
            }
        }
    }

    private func isRedundant(_ edge: Int) -> Bool {
        let edges = graph.edges!
        let source = Int(edges.source[edge])
        var seen: Set<Int> = [Int(edges.destination[edge])]
        var queue = [Int(edges.destination[edge])]
        var head = 0
        while head < queue.count {
            let n = queue[head]
            head += 1
            for e in edges.incoming[n].map(Int.init) where !edges.removed[e] && e != edge {
                let s = Int(edges.source[e])
                if seen.contains(s) { continue }
                if s == source { return true }
                seen.insert(s)
                queue.append(s)
            }
        }
        return false
    }
}

/// Go's `math` functions where pprof's output depends on their exact rounding.
enum GoMath {
    /// Go's `math.Log2`: exact for powers of two, otherwise `log(frac) / ln 2 + exp`.
    static func log2(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == 0 ? -.infinity : .nan }
        // frexp: x = frac × 2^exp with frac in [0.5, 1).
        let frac = x.significand / 2
        let exp = Int(x.exponent) + 1
        if frac == 0.5 { return Double(exp - 1) }
        return log(frac) * (1 / M_LN2) + Double(exp)
    }
}
