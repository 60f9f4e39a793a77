#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeProfile
import LeakscopeFormat

extension PreparedProfile {
    /// Formats a value of the chosen sample type in `outputUnit` (after `-divide_by`).
    func formatValue(_ value: Int64, outputUnit: String) -> String {
        var v = value
        if ratio > 0 && ratio != 1 { v = MeasurementFormat.truncate(Double(value) * ratio) }
        return MeasurementFormat.scaledLabel(v, from: sampleUnit, to: outputUnit)
    }

    /// pprof's `ProfileLabels`: File, Build ID, comments, Type, Doc, Time, Duration.
    func profileLabels(outputUnit: String) -> [String] {
        var labels: [String] = []
        if let mapping = profile.mappings.first {
            if !mapping.file.isEmpty { labels.append("File: " + GoPath.base(mapping.file)) }
            if !mapping.buildID.isEmpty { labels.append("Build ID: " + mapping.buildID) }
        }
        for comment in profile.comments where !comment.hasPrefix("#") { labels.append(comment) }
        if !sampleType.isEmpty { labels.append("Type: " + sampleType) }
        if !profile.docURL.isEmpty { labels.append("Doc: " + profile.docURL) }
        if profile.timeNanos != 0 { labels.append("Time: " + Self.goLocalTime(profile.timeNanos)) }
        if profile.durationNanos != 0 {
            let duration = MeasurementFormat.label(profile.durationNanos, unit: "nanoseconds")
            let (totalNanos, unit) = MeasurementUnits.scale(total, from: sampleUnit, to: "nanoseconds")
            var ratioText = ""
            if unit == "ns" && totalNanos != 0 {
                ratioText = "(" + MeasurementFormat.percentage(MeasurementFormat.truncate(totalNanos),
                                                               of: profile.durationNanos) + ")"
            }
            labels.append("Duration: \(duration), Total samples = \(formatValue(total, outputUnit: outputUnit)) \(ratioText)")
        }
        return labels
    }

    /// pprof's `reportLabels` for text, tree and peek; `fullHeaders` (graphs) always starts with
    /// the profile labels and counts dropped edges too.
    func reportLabels(graph: ReportGraph, outputUnit: String, fullHeaders: Bool = false) -> [String] {
        var labels: [String] = compactLabels && !fullHeaders ? [] : profileLabels(outputUnit: outputUnit)
        if !activeFilters.isEmpty {
            labels.append("Active filters:")
            for filter in activeFilters {
                var f = filter
                if f.utf8.count > 80 {
                    // Go slices bytes; keep that, even mid-rune.
                    f = String(decoding: Array(f.utf8).prefix(80), as: UTF8.self) + "…"
                }
                labels.append("   " + f)
            }
        }
        let shown = graph.shownTotal
        let percent = MeasurementFormat.percentage(shown, of: total).trimmingSpaces()
        labels.append("Showing nodes accounting for \(formatValue(shown, outputUnit: outputUnit)), \(percent) of \(formatValue(total, outputUnit: outputUnit)) total")
        if total != 0 {
            if graph.droppedNodes > 0 {
                let cut = MeasurementFormat.abs64(MeasurementFormat.truncate(Double(total) * nodeFraction))
                labels.append("Dropped \(graph.droppedNodes) \(graph.droppedNodes > 1 ? "nodes" : "node") (cum <= \(formatValue(cut, outputUnit: outputUnit)))")
            }
            if fullHeaders && graph.droppedEdges > 0 {
                let cut = MeasurementFormat.abs64(MeasurementFormat.truncate(Double(total) * edgeFraction))
                labels.append("Dropped \(graph.droppedEdges) \(graph.droppedEdges > 1 ? "edges" : "edge") (freq <= \(formatValue(cut, outputUnit: outputUnit)))")
            }
            if graph.nodes.count > 0 && graph.nodes.count < graph.origCount {
                labels.append("Showing top \(graph.nodes.count) nodes out of \(graph.origCount)")
            }
        }
        return labels
    }

    /// Go's `time.Unix(0, ns).Format("2006-01-02 15:04:05 MST")` in the local zone.
    static func goLocalTime(_ nanos: Int64) -> String {
        var seconds = nanos / 1_000_000_000
        if nanos % 1_000_000_000 < 0 { seconds -= 1 }
        var t = time_t(seconds)
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = Int(parts.tm_year) + 1900
        var yearText = String(year)
        while yearText.count < 4 { yearText = "0" + yearText }
        let zone = parts.tm_zone.map { String(cString: $0) } ?? "UTC"
        return "\(yearText)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) \(zone)"
    }
}

extension String {
    /// Go's `strings.TrimSpace` for the ASCII spaces pprof's percentages carry.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
