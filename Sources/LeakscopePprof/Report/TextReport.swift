import LeakscopeProfile
import LeakscopeFormat

extension PreparedProfile {
    func valueSelector() -> ValueSelector { ValueSelector(index: valueIndex, meanDivisorIndex: meanDivisorIndex) }

    /// Builds the trimmed, sorted graph for text-like reports.
    func reportGraph(cumSort: Bool, dropNegative: Bool, needEdges: Bool, onlyInlineEdges: Bool = false) -> ReportGraph {
        let table = NodeTable(profile: profile, granularity: NodeGranularity(granularity, noInlines: noInlines,
                                                                            showColumns: showColumns),
                              trimBuildPaths: true)
        var go = GraphOptions()
        go.nodeCount = nodeCount
        go.nodeFraction = nodeFraction
        go.edgeFraction = edgeFraction
        go.cumSort = cumSort
        go.dropNegative = dropNegative
        go.needEdges = needEdges
        go.onlyInlineCandidates = onlyInlineEdges
        return ReportGraph(profile: profile, table: table, values: valueSelector(), options: go)
    }

    /// pprof's `selectOutputUnit` for `-unit minimum`: the unit of the smallest
    /// non-zero node, or one 100× larger when the total is far above it.
    func outputUnit(for graph: ReportGraph, requested: String) -> String {
        guard requested == "minimum", !graph.nodes.isEmpty else { return requested }
        var minValue: Int64 = 0
        for n in graph.nodes {
            var nodeMin = MeasurementFormat.abs64(graph.weights.flatValue(n))
            if nodeMin == 0 { nodeMin = MeasurementFormat.abs64(graph.weights.cumValue(n)) }
            if nodeMin > 0 && (minValue == 0 || nodeMin < minValue) { minValue = nodeMin }
        }
        var maxValue = total
        if minValue == 0 { minValue = maxValue }
        if ratio > 0 && ratio != 1 {
            minValue = MeasurementFormat.truncate(Double(minValue) * ratio)
            maxValue = MeasurementFormat.truncate(Double(maxValue) * ratio)
        }
        let minUnit = MeasurementUnits.scale(minValue, from: sampleUnit, to: "minimum").unit
        let maxUnit = MeasurementUnits.scale(maxValue, from: sampleUnit, to: "minimum").unit
        var unit = minUnit
        if minUnit != maxUnit && minValue &* 100 < maxValue {
            unit = MeasurementUnits.scale(100 &* minValue, from: sampleUnit, to: "minimum").unit
        }
        return unit.isEmpty ? sampleUnit : unit
    }
}

/// `-top` / `-text`.
enum TextReport {
    static func render(_ prepared: PreparedProfile, options: PprofOptions) -> [UInt8] {
        // A node that is never an inlined line has only non-inline callers, so only
        // edges into inlined nodes decide the "(inline)" labels.
        var graph = prepared.reportGraph(cumSort: options.sortByCum, dropNegative: options.dropNegative, needEdges: true,
                                         onlyInlineEdges: true)
        let unit = prepared.outputUnit(for: graph, requested: options.unit)
        var out = TextOutput()
        out.line(prepared.reportLabels(graph: graph, outputUnit: unit).joined(separator: "\n"))
        out.line("      flat  flat%   sum%        cum   cum%")
        let total = prepared.total
        var flatSum: Int64 = 0
        for n in graph.nodes {
            let flat = graph.weights.flatValue(n), cum = graph.weights.cumValue(n)
            flatSum &+= flat
            out.padLeft(prepared.formatValue(flat, outputUnit: unit), 10)
            out.write(" " + MeasurementFormat.percentage(flat, of: total) + " " + MeasurementFormat.percentage(flatSum, of: total) + " ")
            out.padLeft(prepared.formatValue(cum, outputUnit: unit), 10)
            out.write(" " + MeasurementFormat.percentage(cum, of: total) + "  ")
            out.write(graph.table.printableName(n))
            if let edges = graph.edges, graph.table.inlinedNodes[n] {
                var inline = false, notInline = false
                for e in edges.incoming[n] where !edges.removed[Int(e)] {
                    if edges.inline[Int(e)] { inline = true } else { notInline = true }
                }
                if inline { out.write(notInline ? " (partial-inline)" : " (inline)") }
            }
            out.newline()
        }
        _ = graph.nodes
        return out.bytes
    }
}
