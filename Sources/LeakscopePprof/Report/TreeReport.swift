import LeakscopeProfile
import LeakscopeFormat

/// `-tree` and `-peek RE`: each node with its callers above and callees below.
enum TreeReport {
    static let separator = "----------------------------------------------------------+-------------"
    static let legend = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t "

    static func render(_ prepared: PreparedProfile, options: PprofOptions, symbol: String?) throws -> [UInt8] {
        let rx = try symbol.map { try CachedRegex($0, option: "argument") }
        var graph = prepared.reportGraph(cumSort: options.sortByCum, dropNegative: options.dropNegative, needEdges: true)
        let unit = prepared.outputUnit(for: graph, requested: options.unit)
        let total = prepared.total
        var out = TextOutput()
        out.line(prepared.reportLabels(graph: graph, outputUnit: unit).joined(separator: "\n"))
        out.line(separator)
        out.line(legend)
        var flatSum: Int64 = 0
        var matched = 0
        for n in graph.nodes {
            let name = graph.table.printableString(n)
            if let rx, !rx.matches(name) { continue }
            matched += 1
            let flat = graph.weights.flatValue(n), cum = graph.weights.cumValue(n)
            out.line(separator)
            for e in graph.sortedEdges(of: n, incoming: true) {
                edgeLine(&out, &graph, prepared, e, peer: Int(graph.edges!.source[e]), cum: cum, unit: unit)
            }
            flatSum &+= flat
            out.padLeft(prepared.formatValue(flat, outputUnit: unit), 10)
            out.write(" " + MeasurementFormat.percentage(flat, of: total) + " " + MeasurementFormat.percentage(flatSum, of: total) + " ")
            out.padLeft(prepared.formatValue(cum, outputUnit: unit), 10)
            out.write(" " + MeasurementFormat.percentage(cum, of: total) + "                | ")
            out.line(name)
            for e in graph.sortedEdges(of: n, incoming: false) {
                edgeLine(&out, &graph, prepared, e, peer: Int(graph.edges!.destination[e]), cum: cum, unit: unit)
            }
        }
        if !graph.nodes.isEmpty { out.line(separator) }
        if let rx, matched == 0 { throw PprofReportError("no matches found for regexp: \(rx.pattern)") }
        return out.bytes
    }

    private static func edgeLine(_ out: inout TextOutput, _ graph: inout ReportGraph, _ prepared: PreparedProfile,
                                 _ e: Int, peer: Int, cum: Int64, unit: String) {
        let weight = graph.edges!.weight[e]
        out.padLeft(prepared.formatValue(weight, outputUnit: unit), 50)
        out.write(" " + MeasurementFormat.percentage(weight, of: cum) + " |   ")
        out.write(graph.table.printableName(peer))
        if graph.edges!.inline[e] { out.write(" (inline)") }
        out.newline()
    }
}

/// `-traces`: every sample's labels, value and frames.
enum TracesReport {
    static let separator = "-----------+-------------------------------------------------------"

    static func render(_ prepared: PreparedProfile, outputUnit: String = "minimum") -> [UInt8] {
        let p = prepared.profile
        var out = TextOutput()
        out.line(prepared.profileLabels(outputUnit: outputUnit).joined(separator: "\n"))
        var table = NodeTable(profile: p, granularity: NodeGranularity(prepared.granularity, noInlines: prepared.noInlines,
                                                                       showColumns: prepared.showColumns))
        let values = prepared.valueSelector()
        for sample in p.samples {
            var frames: [(node: Int, inline: Bool)] = []
            for l in sample.locations {
                let start = Int(table.locationStart[l]), end = Int(table.locationStart[l + 1])
                for i in start..<end { frames.append((Int(table.locationNodes[i]), i != end - 1)) }
            }
            if frames.isEmpty { continue }
            out.line(separator)
            var stringLines: [String] = [], numberLines: [String] = []
            var stringKeys: [String] = [], stringValues: [String: [String]] = [:]
            var numberKeys: [String] = [], numberValues: [String: [String]] = [:]
            for label in sample.labels {
                switch label.value {
                case .string(let v):
                    if stringValues[label.key] == nil { stringKeys.append(label.key) }
                    stringValues[label.key, default: []].append(v)
                case .number(let v, _):
                    if numberValues[label.key] == nil { numberKeys.append(label.key) }
                    numberValues[label.key, default: []].append(
                        MeasurementFormat.label(v, unit: prepared.numLabelUnits[label.key] ?? ""))
                }
            }
            for k in stringKeys { stringLines.append(padded(k) + ":  " + stringValues[k]!.joined(separator: " ") + "\n") }
            for k in numberKeys { numberLines.append(padded(k) + ":  " + numberValues[k]!.joined(separator: " ") + "\n") }
            for l in stringLines.sorted(by: goLess) { out.write(l) }
            for l in numberLines.sorted(by: goLess) { out.write(l) }
            var v = values.value(sample.values)
            let d = values.divisor(sample.values)
            if d != 0 { v = v / d }
            for (i, frame) in frames.enumerated() {
                out.padLeft(i == 0 ? prepared.formatValue(v, outputUnit: outputUnit) : "", 10)
                out.write("   ")
                out.write(table.printableName(frame.node))
                if frame.inline { out.write(" (inline)") }
                out.newline()
            }
        }
        out.line(separator)
        return out.bytes
    }

    static func padded(_ s: String) -> String {
        let n = s.unicodeScalars.count
        return n < 10 ? String(repeating: " ", count: 10 - n) + s : s
    }
}

/// Go's bytewise string order.
func goLess(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

/// `-tags`: totals per label key and value.
enum TagsReport {
    static func render(_ prepared: PreparedProfile, outputUnit: String = "minimum") -> [UInt8] {
        let values = prepared.valueSelector()
        var perKey: [String: [String: Int64]] = [:]
        var keyTotal: [String: Int64] = [:]
        var numberText: [Int64: [String: String]] = [:]
        for s in prepared.profile.samples {
            let v = values.value(s.values)
            for label in s.labels {
                let text: String
                switch label.value {
                case .string(let sv): text = sv
                case .number(let n, _):
                    let unit = prepared.numLabelUnits[label.key] ?? ""
                    if let known = numberText[n]?[unit] { text = known } else {
                        text = MeasurementFormat.scaledLabel(n, from: unit, to: outputUnit)
                        numberText[n, default: [:]][unit] = text
                    }
                }
                perKey[label.key, default: [:]][text, default: 0] &+= v
                keyTotal[label.key, default: 0] &+= v
            }
        }
        let total = prepared.total
        var out = TextOutput()
        for key in perKey.keys.sorted(by: goLess) {
            let tags = perKey[key]!.sorted { a, b in
                if MeasurementFormat.abs64(a.value) != MeasurementFormat.abs64(b.value) { return MeasurementFormat.abs64(a.value) > MeasurementFormat.abs64(b.value) }
                return goLess(a.key, b.key)
            }
            var rows: [[String]] = []
            let keyTotalValue = keyTotal[key]!
            if total > 0 {
                rows.append([key + ":", " Total \(prepared.formatValue(keyTotalValue, outputUnit: outputUnit)) of \(prepared.formatValue(total, outputUnit: outputUnit)) (\(MeasurementFormat.percentage(keyTotalValue, of: total)))"])
            } else {
                rows.append([key + ":", " Total \(prepared.formatValue(keyTotalValue, outputUnit: outputUnit)) of \(prepared.formatValue(total, outputUnit: outputUnit))"])
            }
            for (name, value) in tags {
                if total > 0 {
                    rows.append([" ", "\(prepared.formatValue(value, outputUnit: outputUnit)) (\(MeasurementFormat.percentage(value, of: total))):", " " + name])
                } else {
                    rows.append([" ", "\(prepared.formatValue(value, outputUnit: outputUnit)):", " " + name])
                }
            }
            // Go's tabwriter, right-aligned, padding 1: column 0 spans all rows of the
            // block, column 1 only the value rows.
            let width0 = rows.map { $0[0].unicodeScalars.count }.max()! + 1
            let width1 = rows.dropFirst().map { $0[1].unicodeScalars.count }.max().map { $0 + 1 } ?? 0
            for row in rows {
                out.padLeft(row[0], width0)
                if row.count == 2 {
                    out.line(row[1])
                } else {
                    out.padLeft(row[1], width1)
                    out.line(row[2])
                }
            }
            out.newline()
        }
        return out.bytes
    }
}
