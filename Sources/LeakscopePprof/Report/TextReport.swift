import LeakscopeProfile
import LeakscopeFormat

extension PreparedProfile {
    func valueSelector() -> ValueSelector { ValueSelector(index: valueIndex, meanDivisorIndex: meanDivisorIndex) }

    /// Builds the trimmed, sorted graph for text-like reports.
    func reportGraph(cumSort: Bool, dropNegative: Bool, needEdges: Bool, onlyInlineEdges: Bool = false) -> ReportGraph {
        let table = NodeTable(profile: profile, granularity: NodeGranularity(granularity, noInlines: noInlines,
                                                                            showColumns: showColumns),
                              trimBuildPaths: true, sourcePaths: sourcePaths)
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

/// The `-top` report as values: the header lines and one row per node, each cell the exact
/// string `go tool pprof -top` prints (so a web table shows the same numbers).
public struct TopTable: Sendable {
    /// One node of the report.
    public struct Row: Sendable {
        public var flat: String
        public var flatPercent: String
        public var sumPercent: String
        public var cum: String
        public var cumPercent: String
        /// The node's name as printed (function, file:line … by granularity), as bytes.
        public var nameBytes: [UInt8]
        /// `nameBytes` as text.
        public var name: String { String(decoding: nameBytes, as: UTF8.self) }
        /// "", " (inline)" or " (partial-inline)".
        public var inline: String
        /// Raw values in the sample unit, for sorting.
        public var flatValue: Int64
        public var cumValue: Int64
    }
    /// The header lines (`File:`, `Type:`, `Active filters:`, `Showing nodes …`), one string each.
    public var labels: [String]
    public var rows: [Row]
    /// The report total in the sample unit, and that total as pprof prints it.
    public var total: Int64
    public var totalLabel: String
}

extension PprofReport {
    /// `-top` with `options`, as a table (`render(.top)` prints exactly this).
    public static func topTable(_ prepared: PreparedProfile, options: PprofOptions) -> TopTable {
        // A node that is never an inlined line has only non-inline callers, so only
        // edges into inlined nodes decide the "(inline)" labels.
        var graph = prepared.reportGraph(cumSort: options.sortByCum, dropNegative: options.dropNegative, needEdges: true,
                                         onlyInlineEdges: true)
        let unit = prepared.outputUnit(for: graph, requested: options.unit)
        let labels = prepared.reportLabels(graph: graph, outputUnit: unit)
        let total = prepared.total
        var flatSum: Int64 = 0
        var rows: [TopTable.Row] = []
        rows.reserveCapacity(graph.nodes.count)
        for n in graph.nodes {
            let flat = graph.weights.flatValue(n), cum = graph.weights.cumValue(n)
            flatSum &+= flat
            var inlineLabel = ""
            if let edges = graph.edges, graph.table.inlinedNodes[n] {
                var inline = false, notInline = false
                for e in edges.incoming[n] where !edges.removed[Int(e)] {
                    if edges.inline[Int(e)] { inline = true } else { notInline = true }
                }
                if inline { inlineLabel = notInline ? " (partial-inline)" : " (inline)" }
            }
            rows.append(TopTable.Row(
                flat: prepared.formatValue(flat, outputUnit: unit),
                flatPercent: MeasurementFormat.percentage(flat, of: total),
                sumPercent: MeasurementFormat.percentage(flatSum, of: total),
                cum: prepared.formatValue(cum, outputUnit: unit),
                cumPercent: MeasurementFormat.percentage(cum, of: total),
                nameBytes: graph.table.printableName(n), inline: inlineLabel, flatValue: flat, cumValue: cum))
        }
        _ = graph.nodes
        return TopTable(labels: labels, rows: rows, total: total,
                        totalLabel: prepared.formatValue(total, outputUnit: unit))
    }
}

/// `-top` / `-text`.
enum TextReport {
    static func render(_ prepared: PreparedProfile, options: PprofOptions) -> [UInt8] {
        let table = PprofReport.topTable(prepared, options: options)
        var out = TextOutput()
        out.line(table.labels.joined(separator: "\n"))
        out.line("      flat  flat%   sum%        cum   cum%")
        for row in table.rows {
            out.padLeft(row.flat, 10)
            out.write(" " + row.flatPercent + " " + row.sumPercent + " ")
            out.padLeft(row.cum, 10)
            out.write(" " + row.cumPercent + "  ")
            out.write(row.nameBytes)
            out.write(row.inline)
            out.newline()
        }
        return out.bytes
    }
}
