import LeakscopeFormat
import LeakscopeGodebugAnalysis

/// The GODEBUG-log part of the report's overview.
extension DiagnosisSection {
    static func runtime(_ summary: RuntimeSummary) -> DiagnosisSection {
        var headline = summary.lineSummary
        var details: [String] = []
        if let heap = summary.heap {
            headline += "; live heap \(heap.firstLiveMB) → \(heap.lastLiveMB) MB (\(heap.shape.rawValue))"
            details.append("heap: \(heap.verdict.reason)")
        }
        if let gc = summary.gcCPU { details.append("GC CPU: \(gc.verdict.reason)") }
        if let pauses = summary.pauses { details.append("pauses: \(pauses.verdict.reason)") }
        if let threads = summary.threads { details.append("threads: \(threads.verdict.reason)") }
        if let scheduler = summary.scheduler { details.append("scheduler: \(scheduler.verdict.reason)") }
        func chart(_ title: String, _ unit: String, _ points: [RuntimeSummary.Point]) -> DiagnosisChart? {
            guard points.count >= 2 else { return nil }
            let start = points[0].seconds
            return DiagnosisChart(title: title, unit: unit, points: points.map {
                DiagnosisChart.Point(label: "@\(Numbers.decimal($0.seconds, places: 1))s", seconds: $0.seconds - start,
                                     value: $0.value)
            })
        }
        let charts = [chart("live heap after GC (GODEBUG, MB)", "count", summary.series.heapLiveMB),
                      chart("GC CPU % (GODEBUG)", "percent", summary.series.gcCPUPercent),
                      chart("threads (schedtrace)", "count", summary.series.threads)].compactMap { $0 }
        return DiagnosisSection(name: "runtime", headline: headline, details: details, charts: charts)
    }
}
