import LeakscopeProfile

/// The call graph of `-dot` as values, for drawing without Graphviz (the web UI's graph view):
/// the same nodes, edges, labels, sizes and colours `go tool pprof -dot` writes, with node and
/// edge numbers as in the dot source (`N1` is node 1).
public struct CallGraph: Sendable {
    /// One box.
    public struct Node: Sendable {
        /// 1-based, the dot source's `N<id>`.
        public var id: Int
        /// The node's printable name (function, `file:line` … by granularity).
        public var name: String
        /// What a focus on this node matches: its function name, or its file.
        public var focusName: String
        /// The dot label: name parts, then flat and cum, separated by a literal `\n`.
        public var label: String
        /// Flat and cum as printed, and their raw values in the sample unit.
        public var flat: String
        public var cum: String
        public var flatValue: Int64
        public var cumValue: Int64
        /// 8 to 24, by flat weight.
        public var fontSize: Int
        /// Border and fill colours (`#rrggbb`), by cum weight.
        public var color: String
        public var fill: String

        /// The label's lines, dot escapes undone.
        public var lines: [String] {
            label.components(separatedBy: #"\n"#).map {
                $0.replacingAll(#"\""#, with: "\"").replacingAll(#"\\"#, with: #"\"#)
            }
        }
    }

    /// One caller → callee arrow.
    public struct Edge: Sendable {
        /// Node ids.
        public var source: Int
        public var destination: Int
        /// The weight as printed, and raw.
        public var label: String
        public var value: Int64
        /// Graphviz layout weight (1–101) and pen width (1–6).
        public var weight: Int
        public var penWidth: Int
        /// nil when the report total is zero.
        public var color: String?
        /// Through nodes not shown (dotted), and inlined calls.
        public var residual: Bool
        public var inline: Bool
    }

    /// The legend lines (`File:`, `Type:`, `Showing nodes …`).
    public var legend: [String]
    public var nodes: [Node]
    public var edges: [Edge]
}

extension PprofReport {
    /// The `-dot` graph of `prepared` as values.
    public static func callGraph(_ prepared: PreparedProfile, options: PprofOptions) -> CallGraph {
        var visual = prepared.visualGraph(options: options)
        let unit = prepared.outputUnit(for: visual.graph, requested: options.unit)
        let legend = prepared.reportLabels(graph: visual.graph, outputUnit: unit, fullHeaders: true)
        var graph = CallGraph(legend: legend, nodes: [], edges: [])
        guard !visual.graph.nodes.isEmpty else { return graph }
        let writer = DotReport.Writer(prepared: prepared, unit: unit)
        let (ids, maxFlat) = DotReport.Writer.numbering(visual)
        for n in visual.graph.nodes {
            graph.nodes.append(writer.nodeFields(n, id: ids[n]!, maxFlat: maxFlat, graph: &visual.graph))
        }
        let (order, _) = DotReport.Writer.orderedEdges(&visual)
        let edges = visual.graph.edges!
        for e in order {
            graph.edges.append(writer.edgeFields(e, edges, from: ids[Int(edges.source[e])] ?? 0,
                                                 to: ids[Int(edges.destination[e])] ?? 0))
        }
        return graph
    }
}
