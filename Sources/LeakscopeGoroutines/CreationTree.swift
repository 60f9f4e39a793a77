/// Who spawned whom: goroutines folded into nodes by creation site along parent links.
///
/// A node holds the goroutines created at one `created by` site by goroutines of one parent
/// node; so "main → 10 000 × main.startWorker → 3 × main.worker.func1 each" shows as three
/// nodes with counts. Parents come from `in goroutine N` (Go 1.21+); without them (older
/// dumps, or a parent that has exited) a goroutine's node hangs at the top level, grouped
/// with others from the same site.
public struct CreationTree: Sendable {
    /// Goroutines created at one site by goroutines of one parent node.
    public struct Node: Sendable {
        /// The `created by` frame shared by the node's goroutines; nil for goroutines with none
        /// (the main goroutine, runtime goroutines in some dumps).
        public var site: Frame?
        /// Index of the parent node in `nodes`, or -1 for a top-level node.
        public var parent: Int32
        /// Child nodes, in order of first appearance.
        public var children: [Int32]
        /// Goroutines in this node (weighted by count).
        public var count: Int64
        /// Goroutines in this node and all below it.
        public var total: Int64
        /// Indices into `GoroutineDump.goroutines`.
        public var members: [Int32]
        /// Whether the goroutines' parent was named but is not in the dump (it exited).
        public var parentGone: Bool
    }

    /// Every node; parents come before their children.
    public var nodes: [Node] = []
    /// Top-level nodes, largest subtree first.
    public var roots: [Int32] = []
    /// For each goroutine, the index in `GoroutineDump.goroutines` of its parent, or -1.
    public var parentIndex: [Int32] = []
    /// For each goroutine, its node.
    public var nodeOf: [Int32] = []

    /// Builds the tree in linear time. Parent cycles (impossible from a real runtime, possible in
    /// a doctored file) are broken by treating the goroutine that closes the cycle as top-level.
    public init(_ dump: GoroutineDump) {
        let n = dump.goroutines.count
        parentIndex = [Int32](repeating: -1, count: n)
        // Goroutine IDs are small and dense in practice: index them with an array when they are,
        // with a dictionary when a (doctored) dump has huge ones.
        var maxID: Int64 = 0
        for g in dump.goroutines { maxID = Swift.max(maxID, g.id) }
        if maxID < Int64(n) * 8 + 1024 {
            var indexOfID = [Int32](repeating: -1, count: Int(maxID) + 1)
            for (i, g) in dump.goroutines.enumerated() where g.id >= 0 && indexOfID[Int(g.id)] < 0 {
                indexOfID[Int(g.id)] = Int32(truncatingIfNeeded: i)
            }
            for (i, g) in dump.goroutines.enumerated() where g.parentID > 0 && g.parentID <= maxID {
                let p = indexOfID[Int(g.parentID)]
                if p >= 0, Int(p) != i { parentIndex[i] = p }
            }
        } else {
            var indexOfID: [Int64: Int32] = [:]
            for (i, g) in dump.goroutines.enumerated() where g.id >= 0 && indexOfID[g.id] == nil {
                indexOfID[g.id] = Int32(truncatingIfNeeded: i)
            }
            for (i, g) in dump.goroutines.enumerated() where g.parentID != 0 {
                if let p = indexOfID[g.parentID], Int(p) != i { parentIndex[i] = p }
            }
        }
        nodeOf = [Int32](repeating: -1, count: n)
        // 0 unvisited, 1 on the current path, 2 done.
        var mark = [UInt8](repeating: 0, count: n)
        var nodeIndex: [NodeKey: Int32] = [:]
        // The node last used for each creation site, with its parent node: a goroutine whose
        // site and parent node match reuses it without hashing.
        var lastNodeOfSite = [Int32](repeating: -1, count: dump.creationSites.count)
        var lastParentOfSite = [Int32](repeating: -2, count: dump.creationSites.count)
        var path: [Int32] = []
        for start in 0..<n where mark[start] == 0 {
            // Walk up to the first resolved (or top-level) ancestor, then assign nodes downwards.
            var g = Int32(start)
            while true {
                mark[Int(g)] = 1
                path.append(g)
                let p = parentIndex[Int(g)]
                if p < 0 || mark[Int(p)] == 2 { break }
                if mark[Int(p)] == 1 {
                    parentIndex[Int(g)] = -1  // a cycle: cut it here
                    break
                }
                g = p
            }
            while let g = path.popLast() {
                let goroutine = dump.goroutines[Int(g)]
                let p = parentIndex[Int(g)]
                let parentNode = p >= 0 ? nodeOf[Int(p)] : -1
                let site = Int(goroutine.createdBy)
                if site >= 0, lastParentOfSite[site] == parentNode, p >= 0 || goroutine.parentID == 0 {
                    let node = lastNodeOfSite[site]
                    nodes[Int(node)].count &+= goroutine.count
                    nodes[Int(node)].members.append(g)
                    nodeOf[Int(g)] = node
                    mark[Int(g)] = 2
                    continue
                }
                let key = NodeKey(parent: parentNode, site: goroutine.createdBy >= 0 ? GoroutineDump.siteKey(dump.creationSites[Int(goroutine.createdBy)]) : UInt64.max,
                                  gone: p < 0 && goroutine.parentID != 0)
                let node: Int32
                if let existing = nodeIndex[key] {
                    node = existing
                } else {
                    node = Int32(truncatingIfNeeded: nodes.count)
                    nodeIndex[key] = node
                    nodes.append(Node(site: dump.creator(of: goroutine), parent: parentNode, children: [], count: 0, total: 0,
                                      members: [], parentGone: key.gone))
                    if parentNode >= 0 { nodes[Int(parentNode)].children.append(node) } else { roots.append(node) }
                }
                if site >= 0, !key.gone {
                    lastNodeOfSite[site] = node
                    lastParentOfSite[site] = parentNode
                }
                nodes[Int(node)].count &+= goroutine.count
                nodes[Int(node)].members.append(g)
                nodeOf[Int(g)] = node
                mark[Int(g)] = 2
            }
        }
        // Children always come after their parent, so one backward pass sums subtrees.
        for i in stride(from: nodes.count - 1, through: 0, by: -1) {
            nodes[i].total &+= nodes[i].count
            let p = nodes[i].parent
            if p >= 0 { nodes[Int(p)].total &+= nodes[i].total }
        }
        roots.sort { nodes[Int($0)].total != nodes[Int($1)].total ? nodes[Int($0)].total > nodes[Int($1)].total : $0 < $1 }
    }

    private struct NodeKey: Hashable {
        var parent: Int32
        var site: UInt64
        var gone: Bool
    }
}
