#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeFormat
import LeakscopeProfile

/// `-dot`: the call graph in Graphviz's language, byte for byte as `go tool pprof -dot` writes it
/// (pprof's `ComposeDot`): a legend, one box per node sized by flat weight and coloured by cum
/// weight, tag "nodelets" under nodes, and edges heaviest first.
enum DotReport {
    /// Tags shown per node, numeric or not (pprof's `maxNodelets`).
    static let maxNodelets = 4

    static func render(_ prepared: PreparedProfile, options: PprofOptions) throws -> [UInt8] {
        var visual = prepared.visualGraph(options: options)
        let unit = prepared.outputUnit(for: visual.graph, requested: options.unit)
        var labels = prepared.reportLabels(graph: visual.graph, outputUnit: unit, fullHeaders: true)
        labels.append("\nSee https://git.io/JfYMW for how to read the graph")
        var title = ""
        if let file = prepared.profile.mappings.first?.file, !file.isEmpty { title = GoPath.base(file) }

        var out = TextOutput()
        out.line("digraph \"" + (title.isEmpty ? "unnamed" : title) + "\" {")
        out.line("node [style=filled fillcolor=\"#f8f8f8\"]")
        if !labels.isEmpty {
            var legend = "subgraph cluster_L { \"" + escape(labels[0]) + "\" [shape=box fontsize=16"
            legend += " label=\"" + labels.map(escape).joined(separator: #"\l"#) + #"\l""#
            if !title.isEmpty { legend += " tooltip=\"" + title + "\"" }
            out.line(legend + "] }")
        }
        var writer = Writer(prepared: prepared, unit: unit)
        writer.compose(&visual, into: &out)
        out.line("}")
        return out.bytes
    }

    /// Graphviz `escString`: backslashes and quotes escaped, newlines made left-justified breaks.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += #"\\"#
            case "\"": out += #"\""#
            case "\n": out += #"\l"#
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// pprof's `dotColor`: score −1 green, 0 grey, 1 red; light for fills, dark for lines.
    static func color(_ score: Double, background: Bool) -> String {
        var saturation = background ? 0.1 : 1.0
        let value = background ? 0.93 : 0.7
        // Go's math.Max/Min keep NaN.
        var s = score.isNaN ? score : Swift.max(-1.0, Swift.min(1.0, score))
        if Swift.abs(s) < 0.2 { saturation *= Swift.abs(s) / 0.2 }
        // pprof's exponent is the constant 1.0 − 0.7, folded exactly by Go's compiler.
        if s > 0 { s = pow(s, 0.3) }
        if s < 0 { s = -pow(-s, 0.3) }
        var r: Double, g: Double
        if s < 0 {
            g = value
            r = value * (1 + saturation * s)
        } else {
            r = value
            g = value * (1 - saturation * s)
        }
        let b = value * (1 - saturation)
        func byte(_ x: Double) -> String {
            let v = x * 255.0
            let u: UInt8 = (v.isNaN || v < 0 || v >= 256) ? 0 : UInt8(v)
            let hex = String(u, radix: 16)
            return u < 16 ? "0" + hex : hex
        }
        return "#" + byte(r) + byte(g) + byte(b)
    }

    /// Writes nodes, nodelets and edges of a visual graph.
    struct Writer {
        let prepared: PreparedProfile
        let unit: String

        func format(_ v: Int64) -> String { prepared.formatValue(v, outputUnit: unit) }

        mutating func compose(_ visual: inout VisualGraph, into out: inout TextOutput) {
            let nodes = visual.graph.nodes
            guard !nodes.isEmpty else { return }
            let (ids, maxFlat) = Self.numbering(visual)
            let edges = visual.graph.edges!
            var hasNodelets: [Int: Bool] = [:]
            for n in nodes {
                node(n, id: ids[n]!, maxFlat: maxFlat, graph: &visual.graph, into: &out)
                let hasOut = edges.outgoing[n].contains { !edges.removed[Int($0)] }
                hasNodelets[n] = nodelets(visual.tags[n] ?? NodeTags(), id: ids[n]!, flatTags: hasOut, into: &out)
            }
            let (order, names) = Self.orderedEdges(&visual)
            for e in order {
                let s = Int(edges.source[e]), d = Int(edges.destination[e])
                edge(e, edges, from: ids[s] ?? 0, to: ids[d] ?? 0, hasNodelets: hasNodelets[s] ?? false,
                     names: (String(decoding: names[s]!, as: UTF8.self), String(decoding: names[d]!, as: UTF8.self)),
                     into: &out)
            }
        }

        /// Node numbers (N1 … in draw order) and the largest flat value, which scales font sizes.
        static func numbering(_ visual: VisualGraph) -> (ids: [Int: Int], maxFlat: Double) {
            var ids: [Int: Int] = [:]
            let w = visual.graph.weights
            var maxFlat = Double(MeasurementFormat.abs64(w.flatValue(visual.graph.nodes[0])))
            for (i, n) in visual.graph.nodes.enumerated() {
                ids[n] = i + 1
                maxFlat = Swift.max(maxFlat, Double(MeasurementFormat.abs64(w.flatValue(n))))
            }
            return (ids, maxFlat)
        }

        /// The shown nodes' outgoing edges, heaviest first, then by caller and callee name.
        static func orderedEdges(_ visual: inout VisualGraph) -> (edges: [Int], names: [Int: [UInt8]]) {
            let edges = visual.graph.edges!
            var all: [Int] = []
            for n in visual.graph.nodes {
                all += edges.outgoing[n].map(Int.init).filter { !edges.removed[$0] }
            }
            var names: [Int: [UInt8]] = [:]
            for e in all {
                for n in [Int(edges.source[e]), Int(edges.destination[e])] where names[n] == nil {
                    names[n] = visual.graph.table.printableName(n)
                }
            }
            all.sort { a, b in
                let wa = edges.weight[a], wb = edges.weight[b]
                if wa != wb { return MeasurementFormat.abs64(wa) > MeasurementFormat.abs64(wb) }
                let sa = names[Int(edges.source[a])]!, sb = names[Int(edges.source[b])]!
                if sa != sb { return sa.lexicographicallyPrecedes(sb) }
                return names[Int(edges.destination[a])]!.lexicographicallyPrecedes(names[Int(edges.destination[b])]!)
            }
            return (all, names)
        }

        private func node(_ n: Int, id: Int, maxFlat: Double, graph: inout ReportGraph, into out: inout TextOutput) {
            let f = nodeFields(n, id: id, maxFlat: maxFlat, graph: &graph)
            out.line("N\(id) [label=\"\(f.label)\" id=\"node\(id)\" fontsize=\(f.fontSize) shape=box tooltip=\""
                     + DotReport.escape(f.name) + " (\(f.cum))\" color=\"" + f.color + "\" fillcolor=\"" + f.fill + "\"]")
        }

        /// A node's label, size and colours, as `-dot` prints them.
        func nodeFields(_ n: Int, id: Int, maxFlat: Double, graph: inout ReportGraph) -> CallGraph.Node {
            let total = prepared.total
            let flat = graph.weights.flatValue(n), cum = graph.weights.cumValue(n)
            var label = DotReport.multilineName(graph.table, n)
            let flatText = format(flat)
            if flat != 0 {
                label += flatText + " (" + MeasurementFormat.percentage(flat, of: total).trimmingSpaces() + ")"
            } else {
                label += "0"
            }
            var cumText = flatText
            if cum != flat {
                label += flat != 0 ? #"\n"# : " "
                cumText = format(cum)
                label += "of " + cumText + " (" + MeasurementFormat.percentage(cum, of: total).trimmingSpaces() + ")"
            }
            var fontSize = 8
            let absFlat = Double(MeasurementFormat.abs64(flat))
            if maxFlat != 0 && flat != 0 && absFlat <= maxFlat {
                fontSize += Int((16.0 * (absFlat / maxFlat).squareRoot()).rounded(.up))
            }
            let score = Double(cum) / Double(MeasurementFormat.abs64(total))
            let info = graph.table.infos[n]
            let focus = info.name != 0 ? graph.table.string(info.name) : graph.table.string(info.file)
            return CallGraph.Node(id: id, name: graph.table.printableString(n), focusName: focus, label: label,
                                  flat: flatText, cum: cumText, flatValue: flat, cumValue: cum, fontSize: fontSize,
                                  color: DotReport.color(score, background: false),
                                  fill: DotReport.color(score, background: true))
        }

        /// pprof's `addNodelets`; true if the node got any.
        private func nodelets(_ tags: NodeTags, id: Int, flatTags: Bool, into out: inout TextOutput) -> Bool {
            var text = ""
            var numeric: [String: [GraphTag]] = [:]
            for (labels, map) in tags.numeric where !map.isEmpty { numeric[labels] = Array(map.values) }
            let shown = GraphTag.sorted(Array(tags.labels.values), flat: flatTags).prefix(maxNodelets)
            for (i, t) in shown.enumerated() {
                let w = flatTags ? t.flatValue : t.cumValue
                if w == 0 { continue }
                let weight = format(w)
                text += "N\(id)_\(i) [label = \"\(t.name)\" id=\"N\(id)_\(i)\" fontsize=8 shape=box3d tooltip=\"\(weight)\"]\n"
                text += "N\(id) -> N\(id)_\(i) [label=\" \(weight)\" weight=100 tooltip=\"\(weight)\" labeltooltip=\"\(weight)\"]\n"
                if let list = numeric[t.name] { text += numericNodelets(list, flatTags: flatTags, source: "N\(id)_\(i)") }
            }
            if let list = numeric[""] { text += numericNodelets(list, flatTags: flatTags, source: "N\(id)") }
            out.write(text)
            return !text.isEmpty
        }

        private func numericNodelets(_ tags: [GraphTag], flatTags: Bool, source: String) -> String {
            var text = ""
            for (j, t) in DotReport.collapsed(tags, count: maxNodelets, flat: flatTags).enumerated() {
                var w = t.cumValue, attr = " style=\"dotted\""
                if flatTags || t.flatValue == t.cumValue { w = t.flatValue; attr = "" }
                if w == 0 { continue }
                let weight = format(w)
                text += "N\(source)_\(j) [label = \"\(t.name)\" id=\"N\(source)_\(j)\" fontsize=8 shape=box3d tooltip=\"\(weight)\"]\n"
                text += "\(source) -> N\(source)_\(j) [label=\" \(weight)\" weight=100 tooltip=\"\(weight)\" labeltooltip=\"\(weight)\"\(attr)]\n"
            }
            return text
        }

        private func edge(_ e: Int, _ edges: EdgeSet, from: Int, to: Int, hasNodelets: Bool,
                          names: (String, String), into out: inout TextOutput) {
            let f = edgeFields(e, edges, from: from, to: to)
            var attr = "label=\" " + f.label + (f.inline ? #"\n (inline)"# : "") + "\""
            if f.weight > 1 { attr += " weight=\(f.weight)" }
            if f.penWidth > 1 { attr += " penwidth=\(f.penWidth)" }
            if let color = f.color { attr += " color=\"" + color + "\"" }
            let tooltip = "\"" + DotReport.escape(names.0) + (f.residual ? " ... " : " -> ") + DotReport.escape(names.1)
                + " (" + f.label + ")\""
            attr += " tooltip=" + tooltip + " labeltooltip=" + tooltip
            if f.residual { attr += " style=\"dotted\"" }
            if hasNodelets { attr += " minlen=2" }
            out.line("N\(from) -> N\(to) [\(attr)]")
        }

        /// An edge's label, layout weight, width and colour, as `-dot` prints them.
        func edgeFields(_ e: Int, _ edges: EdgeSet, from: Int, to: Int) -> CallGraph.Edge {
            let total = prepared.total
            let value = edges.weightDiv[e] == 0 ? edges.weight[e] : edges.weight[e] / edges.weightDiv[e]
            var weight = 1, width = 1
            var color: String? = nil
            if total != 0 {
                weight = 1 + Int(Swift.min(MeasurementFormat.abs64((value &* 100) / total), 100))
                width = 1 + Int(Swift.min(MeasurementFormat.abs64((value &* 5) / total), 5))
                color = DotReport.color(Double(value) / Double(MeasurementFormat.abs64(total)), background: false)
            }
            return CallGraph.Edge(source: from, destination: to, label: format(value), value: value, weight: weight,
                                  penWidth: width, color: color, residual: edges.residual[e], inline: edges.inline[e])
        }
    }

    /// pprof's `collapsedTags`: at most `count` tags; the rest join the nearest of the heaviest.
    static func collapsed(_ tags: [GraphTag], count: Int, flat: Bool) -> [GraphTag] {
        let sorted = GraphTag.sorted(tags, flat: flat)
        if sorted.count <= count { return sorted }
        var groups: [[GraphTag]] = sorted.prefix(count).map { [$0] }
        func distance(_ t: GraphTag, _ u: GraphTag) -> Double {
            let v = MeasurementUnits.scale(u.value, from: u.unit, to: t.unit).value
            return v < Double(t.value) ? Double(t.value) - v : v - Double(t.value)
        }
        for t in sorted.dropFirst(count) {
            var g = 0, d = distance(t, groups[0][0])
            for i in 1..<count {
                let nd = distance(t, groups[i][0])
                if nd < d { g = i; d = nd }
            }
            groups[g].append(t)
        }
        let merged = groups.map { group -> GraphTag in
            if group.count == 1 {
                let t = group[0]
                return GraphTag(name: MeasurementFormat.label(t.value, unit: t.unit), unit: "", value: 0,
                                flat: t.flatValue, cum: t.cumValue)
            }
            var low = group[0], high = group[0]
            var f = low.flat, df = low.flatDiv, c = low.cum, dc = low.cumDiv
            for t in group.dropFirst() {
                if MeasurementFormat.truncate(MeasurementUnits.scale(t.value, from: t.unit, to: low.unit).value) < low.value {
                    low = t
                }
                if MeasurementFormat.truncate(MeasurementUnits.scale(t.value, from: t.unit, to: high.unit).value) > high.value {
                    high = t
                }
                f &+= t.flat; df &+= t.flatDiv; c &+= t.cum; dc &+= t.cumDiv
            }
            if df != 0 { f /= df }
            if dc != 0 { c /= dc }
            return GraphTag(name: MeasurementFormat.label(low.value, unit: low.unit) + ".."
                            + MeasurementFormat.label(high.value, unit: high.unit), unit: "", value: 0, flat: f, cum: c)
        }
        return GraphTag.sorted(merged, flat: flat)
    }

    /// pprof's `multilinePrintableName`: the short function name split at dots, the file's base
    /// name, each part on its own line.
    static func multilineName(_ table: NodeTable, _ n: Int) -> String {
        let info = table.infos[n]
        var parts: [String] = []
        if info.address != 0 { parts.append(NodeTable.hex16(info.address)) }
        if info.name != 0 {
            var name = escape(GoNames.shorten(table.string(info.name)))
            name = name.replacingAll("::", with: #"\n"#)
            name = name.replacingAll("[...]", with: "[…]")
            name = name.replacingAll(".", with: #"\n"#)
            parts.append(name)
        }
        let file = info.file != 0 ? GoPath.base(table.string(info.file)) : ""
        if info.line != 0 {
            var s = file + ":" + String(info.line)
            if info.column != 0 { s += ":" + String(info.column) }
            parts.append(s)
        } else if !file.isEmpty {
            parts.append(file)
        } else if info.name != 0 {
        } else if info.objfile != 0 {
            parts.append("[" + GoPath.base(table.string(info.objfile)) + "]")
        } else {
            parts.append("<unknown>")
        }
        return parts.joined(separator: #"\n"#) + #"\n"#
    }
}

/// pprof's `ShortenFunctionName`: package paths, Java packages and C++ namespaces dropped.
enum GoNames {
    private static func rx(_ pattern: String) -> Regex<AnyRegexOutput> {
        try! Regex(pattern).matchingSemantics(.unicodeScalar)
    }
    private static let word = "A-Za-z0-9_"
    nonisolated(unsafe) private static let cppAnonymous = rx(#"^\(anonymous namespace\)::"#)
    nonisolated(unsafe) private static let goVersion = rx(#"^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$"#)
    nonisolated(unsafe) private static let shorteners: [Regex<AnyRegexOutput>] = [
        rx(#"^(?:["# + word + #"\-\.]+/)+([^.]+\..+)"#),
        rx(#"^(?:[a-z]["# + word + #"]*\.)*([A-Z]["# + word + #"$]*\.(?:<init>|[a-z]["# + word + #"$]*(?:\$[0-9]+)?))(?:(?:\()|$)"#),
        rx(#"^(?:[_a-zA-Z]["# + word + #"]*::)+(_*[A-Z]["# + word + #"]*::~?[_a-zA-Z]["# + word + #"]*(?:<.*>)?)"#),
    ]

    static func shorten(_ name: String) -> String {
        var f = name
        if let m = f.prefixMatch(of: cppAnonymous) { f = String(f[m.range.upperBound...]) }
        if let m = f.wholeMatch(of: goVersion), let a = m.output[1].substring, let b = m.output[2].substring {
            f = String(a) + String(b)
        }
        for re in shorteners {
            if let m = f.prefixMatch(of: re) {
                var parts = ""
                for i in 1..<m.output.count { parts += m.output[i].substring.map(String.init) ?? "" }
                return parts
            }
        }
        return f
    }
}

extension String {
    /// Every occurrence of `target` replaced, scanning left to right (Go's `strings.ReplaceAll`).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.utf8), bytes = Array(utf8)
        guard !t.isEmpty, bytes.count >= t.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + t.count <= bytes.count && bytes[i..<(i + t.count)].elementsEqual(t) {
                out += replacement.utf8
                i += t.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension PreparedProfile {
    /// The trimmed call graph of a visual report (`-dot`, the web graph view), or with `-call_tree`
    /// the trimmed call tree.
    func visualGraph(options: PprofOptions) -> VisualGraph {
        let table = NodeTable(profile: profile, granularity: NodeGranularity(granularity, noInlines: noInlines,
                                                                            showColumns: showColumns),
                              trimBuildPaths: true)
        var go = GraphOptions()
        go.nodeCount = nodeCount
        go.nodeFraction = nodeFraction
        go.edgeFraction = edgeFraction
        go.dropNegative = options.dropNegative
        if options.callTree {
            return VisualGraph(callTreeOf: profile, table: table, values: valueSelector(), options: go,
                               numLabelUnits: numLabelUnits, tagUnit: options.unit)
        }
        return VisualGraph(profile: profile, table: table, values: valueSelector(), options: go,
                           numLabelUnits: numLabelUnits, tagUnit: options.unit)
    }
}
