import LeakscopeGoroutines

/// A site in the creation tree: goroutines waiting at `site`, and the sites of the goroutines
/// they spawned that are still alive.
public struct CreationNode: Sendable, Hashable, Codable {
    /// The blocking-site function of the goroutines, or `created by F` when the creator is gone.
    public var site: String
    /// Goroutines at this site spawned by the parent node (all of them for a root; for an exited
    /// creator, the goroutines it spawned).
    public var count: Int
    public var children: [CreationNode]
}

enum CreationTree {
    /// Builds the tree by following each goroutine's parent ID to the parent's site; a parent
    /// that has exited (or an older runtime that prints no parent ID) is named by its `created by`
    /// function instead. Cycles (a site spawning its own kind) are cut where they recur.
    static func build(dump: GoroutineDump, buckets: [GoroutineBucket]) -> [CreationNode] {
        var siteOfStack: [Int32: String] = [:]
        func site(of goroutine: Goroutine) -> String {
            if let known = siteOfStack[goroutine.stack.rawValue] { return known }
            let name = dump.blockingSite(of: goroutine.stack).map { dump.names[$0.function] } ?? "?"
            siteOfStack[goroutine.stack.rawValue] = name
            return name
        }
        var siteOfID: [Int64: String] = [:]
        siteOfID.reserveCapacity(dump.goroutines.count)
        for goroutine in dump.goroutines where goroutine.id >= 0 { siteOfID[goroutine.id] = site(of: goroutine) }

        struct Edge: Hashable { var parent: String; var child: String }
        var edges: [Edge: Int] = [:]
        var rootCounts: [String: Int] = [:]
        for goroutine in dump.goroutines {
            let child = site(of: goroutine)
            let weight = Int(clamping: max(goroutine.count, 0))
            if goroutine.parentID > 0, let parent = siteOfID[goroutine.parentID] {
                edges[Edge(parent: parent, child: child), default: 0] &+= weight
            } else if let creator = dump.creator(of: goroutine) {
                let parent = "created by " + dump.names[creator.function]
                edges[Edge(parent: parent, child: child), default: 0] &+= weight
                rootCounts[parent, default: 0] += 0
            } else {
                rootCounts[child, default: 0] &+= weight
            }
        }
        var childrenOf: [String: [(String, Int)]] = [:]
        var isChild = Set<String>()
        for (edge, count) in edges {
            childrenOf[edge.parent, default: []].append((edge.child, count))
            if edge.parent != edge.child { isChild.insert(edge.child) }
        }
        for (parent, _) in childrenOf where !isChild.contains(parent) && rootCounts[parent] == nil { rootCounts[parent] = 0 }

        var budget = 5_000  // nodes; keeps the tree small for huge, varied dumps
        func node(_ site: String, count: Int, path: Set<String>) -> CreationNode {
            budget -= 1
            var children: [CreationNode] = []
            if !path.contains(site), let kids = childrenOf[site] {
                let next = path.union([site])
                for (child, n) in kids.sorted(by: { $0.1 > $1.1 || $0.1 == $1.1 && $0.0 < $1.0 }) where budget > 0 {
                    children.append(node(child, count: n, path: next))
                }
            }
            // A parent that has exited stands for the goroutines it spawned.
            let shown = count == 0 ? children.reduce(0) { $0 &+ $1.count } : count
            return CreationNode(site: site, count: shown, children: children)
        }
        return rootCounts.sorted { $0.value > $1.value || $0.value == $1.value && $0.key < $1.key }
            .compactMap { budget > 0 ? node($0.key, count: $0.value, path: []) : nil }
    }
}
