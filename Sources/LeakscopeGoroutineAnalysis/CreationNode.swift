import LeakscopeGoroutines

/// A node of the creation tree as reports show it: goroutines started at one `go` site by the
/// goroutines of the parent node (`LeakscopeGoroutines.CreationTree`), with the sites they wait at.
public struct CreationNode: Sendable, Hashable, Codable {
    /// `created by` site, e.g. `main.startWorkers (main.go:12)`; "(no creator)" for the main
    /// goroutine and runtime goroutines.
    public var site: String
    /// Goroutines in this node.
    public var count: Int
    /// Goroutines in this node and below.
    public var total: Int
    /// Whether their parent goroutine has exited.
    public var parentGone: Bool
    public var children: [CreationNode]
}

extension CreationNode {
    /// The largest nodes kept in reports; huge varied dumps stay small.
    static let nodeLimit = 5_000
    /// Deeper chains (a goroutine starting the next, and so on) are cut: reports recurse.
    static let depthLimit = 64

    static func tree(of dump: GoroutineDump) -> [CreationNode] {
        let tree = CreationTree(dump)
        var budget = nodeLimit
        func convert(_ index: Int32, depth: Int) -> CreationNode {
            budget -= 1
            let node = tree.nodes[Int(index)]
            let site = node.site.map { AnalyzedBucket.site(of: $0, in: dump).short } ?? "(no creator)"
            let ordered = node.children.sorted {
                let a = tree.nodes[Int($0)].total, b = tree.nodes[Int($1)].total
                return a != b ? a > b : $0 < $1
            }
            var children: [CreationNode] = []
            if depth < depthLimit {
                for child in ordered where budget > 0 { children.append(convert(child, depth: depth + 1)) }
            }
            return CreationNode(site: site, count: Int(clamping: node.count), total: Int(clamping: node.total),
                                parentGone: node.parentGone, children: children)
        }
        var roots: [CreationNode] = []
        for root in tree.roots where budget > 0 { roots.append(convert(root, depth: 1)) }
        return roots
    }
}
