import LeakscopeFormat
import LeakscopeProfile

/// pprof's `-call_tree` (its `newTree`): one node per calling context rather than per function,
/// so a function reached along two different stacks is two nodes. A node is identified by its
/// caller's node and its `NodeTable` node; each node but a root has one incoming edge, whose
/// weight is the node's cum.
struct ContextTree {
    /// The table node each tree node shows, and its caller (-1 for roots).
    private(set) var nodeOf: [Int32] = []
    private(set) var caller: [Int32] = []
    private(set) var weights = NodeWeights(count: 0)
    /// Per node: the call into it was inlined on every stack.
    private(set) var inlineCall: [Bool] = []
    private(set) var tags: [Int: NodeTags] = [:]

    init(profile: Profile, table: NodeTable, values: ValueSelector, numLabelUnits: [String: String],
         tagUnit: String) {
        var index = EdgeIndex(capacity: 1024)
        var tagSums = TagAccumulator(numLabelUnits: numLabelUnits, tagUnit: tagUnit)
        var path: [Int] = []
        for sample in profile.samples {
            let v = values.value(sample.values), dv = values.divisor(sample.values)
            if v == 0 && dv == 0 { continue }
            path.removeAll(keepingCapacity: true)
            var parent: Int32 = -1
            var li = sample.locations.count - 1
            while li >= 0 {
                let location = sample.locations[li]
                li -= 1
                let start = Int(table.locationStart[location]), end = Int(table.locationStart[location + 1])
                var i = end - 1
                while i >= start {
                    let next = Int32(nodeOf.count)
                    let n = Int(index.findOrInsert(parent, table.locationNodes[i], nextIndex: next))
                    if n == Int(next) { append(table.locationNodes[i], caller: parent) }
                    weights.cum[n] &+= v
                    weights.cumDiv[n] &+= dv
                    // Only a location's innermost lines are inlined calls.
                    if i == end - 1 { inlineCall[n] = false }
                    path.append(n)
                    parent = Int32(n)
                    i -= 1
                }
            }
            guard let leaf = path.last else { continue }
            weights.flat[leaf] &+= v
            weights.flatDiv[leaf] &+= dv
            if tagSums.begin(sample) {
                for n in path { tagSums.add(node: n, v, dv, flat: false) }
                tagSums.add(node: leaf, v, dv, flat: true)
            }
        }
        tags = tagSums.result()
    }

    private mutating func append(_ node: Int32, caller parent: Int32) {
        nodeOf.append(node)
        caller.append(parent)
        inlineCall.append(true)
        weights.flat.append(0)
        weights.flatDiv.append(0)
        weights.cum.append(0)
        weights.cumDiv.append(0)
    }

    var count: Int { nodeOf.count }

    /// The caller → callee edges, one per node but the roots, in node order.
    func edges() -> EdgeSet {
        var edges = EdgeSet()
        edges.incoming = Array(repeating: [], count: count)
        edges.outgoing = Array(repeating: [], count: count)
        for n in 0..<count where caller[n] >= 0 {
            let e = Int32(edges.source.count)
            edges.source.append(caller[n])
            edges.destination.append(Int32(n))
            edges.weight.append(weights.cum[n])
            edges.weightDiv.append(weights.cumDiv[n])
            edges.inline.append(inlineCall[n])
            edges.residual.append(false)
            edges.incoming[n].append(e)
            edges.outgoing[Int(caller[n])].append(e)
        }
        edges.removed = Array(repeating: false, count: edges.source.count)
        return edges
    }
}

extension VisualGraph {
    /// The call tree a visual report draws with `-call_tree` (pprof's `newTrimmedGraph` in tree
    /// mode): the same cuts as the call graph, but a cut node is spliced out of the tree (its
    /// callees hang from its caller by residual edges) instead of the graph being rebuilt.
    init(callTreeOf profile: Profile, table: NodeTable, values: ValueSelector, options: GraphOptions,
         numLabelUnits: [String: String], tagUnit: String) {
        let tree = ContextTree(profile: profile, table: table, values: values, numLabelUnits: numLabelUnits,
                            tagUnit: tagUnit)
        let w = tree.weights
        var listed: [Int] = []
        var total: Int64 = 0
        for n in 0..<tree.count {
            if w.cum[n] == 0 && w.flat[n] == 0 { continue }
            if options.dropNegative && ReportGraph.isNegative(w, n) { continue }
            listed.append(n)
            total &+= w.flat[n]
        }
        graph = ReportGraph(table: NodeTable(contexts: table, nodeOf: tree.nodeOf), weights: w, nodes: listed,
                            edges: tree.edges())
        tags = tree.tags
        let nodeCutoff = MeasurementFormat.abs64(MeasurementFormat.truncate(Double(total) * options.nodeFraction))
        let edgeCutoff = MeasurementFormat.abs64(MeasurementFormat.truncate(Double(total) * options.edgeFraction))

        if nodeCutoff > 0 {
            let kept = listed.filter { MeasurementFormat.abs64(w.cum[$0]) >= nodeCutoff }
            if kept.count != listed.count {
                graph.droppedNodes = listed.count - kept.count
                trimTree(keeping: kept)
            }
        }
        graph.origCount = graph.nodes.count
        sortByEntropy()
        if options.nodeCount > 0 {
            trimTags(below: nodeCutoff)
            _ = graph.edges!.trim(below: edgeCutoff, into: graph.nodes)
            let top = topNodeCount(options.nodeCount)
            if top < graph.nodes.count {
                trimTree(keeping: Array(graph.nodes.prefix(top)))
                sortByEntropy()
            }
        }
        trimTags(below: nodeCutoff)
        graph.droppedEdges = graph.edges!.trim(below: edgeCutoff, into: graph.nodes)
        removeRedundantEdges()
    }

    /// pprof's `TrimTree`: the shown nodes not in `kept` are spliced out, in the current order.
    private mutating func trimTree(keeping kept: [Int]) {
        var keep = [Bool](repeating: false, count: graph.table.count)
        for n in kept { keep[n] = true }
        for n in graph.nodes where !keep[n] { graph.edges!.spliceOut(n) }
        graph.nodes = graph.nodes.filter { keep[$0] }
        removeRedundantEdges()
    }
}
