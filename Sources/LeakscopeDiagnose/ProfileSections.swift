import LeakscopeFormat
import LeakscopeProfileAnalysis

/// The heap, CPU and contention parts of the report's overview.
extension DiagnosisSection {
    static func heap(_ report: HeapGrowthReport) -> DiagnosisSection {
        let totals = report.snapshots.map(\.inuseBytes)
        var headline = "\(report.snapshots.count) snapshot\(report.snapshots.count == 1 ? "" : "s"), in use "
        headline += totals.map(Numbers.bytes).joined(separator: " → ")
        if report.snapshots.count >= 2 { headline += " (\(report.totalTrend.shape.rawValue))" }
        let growing = report.findings.count
        headline += growing == 0 ? ", no growing allocation site" : ", \(growing) growing site\(growing == 1 ? "" : "s")"
        var details: [String] = []
        for site in report.sites.prefix(3) where site.deltaBytes != 0 {
            var line = "\(Numbers.bytes(site.deltaBytes)) at \(site.location.short)"
            if let rate = site.bytesPerMinute { line += " (\(Numbers.signedBytes(rate))/min, \(site.trend.shape.rawValue))" }
            details.append(line)
        }
        details += report.notes
        let first = report.snapshots.first?.time
        let chart = DiagnosisChart(title: "heap in use", unit: "bytes", points: report.snapshots.map { snapshot in
            DiagnosisChart.Point(label: snapshot.name, seconds: first.flatMap { f in snapshot.time.map { $0 - f } },
                                 value: snapshot.inuseBytes)
        })
        return DiagnosisSection(name: "heap", headline: headline, details: details, charts: totals.count >= 2 ? [chart] : [])
    }

    static func cpu(_ report: CPUReport) -> DiagnosisSection {
        var headline = "\(Numbers.decimal(report.cpuSeconds, places: 2)) s of CPU"
        if let duration = report.durationSeconds { headline += " in \(Numbers.duration(seconds: duration))" }
        if let cores = report.coresUsed { headline += " (\(Numbers.decimal(cores, places: 2)) cores)" }
        headline += ", GC \(Numbers.percent(report.gc.gc)), malloc \(Numbers.percent(report.gc.malloc))"
        var details = report.hotFunctions.prefix(5).map { hot in
            var line = "\(Numbers.percent(hot.attributedShare)) \(hot.location.short)"
            if let callee = hot.callees.first { line += " — mostly in \(callee.function) (\(Numbers.percent(callee.share)))" }
            return line
        }
        details += report.notes
        return DiagnosisSection(name: "cpu", headline: headline, details: details)
    }

    static func contention(_ report: ContentionReport) -> DiagnosisSection {
        func total(_ sites: [ContentionSite]) -> Double { sites.reduce(0) { $0 + $1.delaySeconds } }
        var headline = "lock delay \(Numbers.duration(seconds: total(report.holders)))"
        headline += ", blocked \(Numbers.duration(seconds: total(report.waiters)))"
        headline += " (\(report.rateBasis))"
        var details: [String] = []
        // Sites whose delay prints as 0ms, and averages that print as 0.00, say nothing.
        for site in (report.holders.prefix(2) + report.waiters.prefix(2)) where site.delaySeconds >= 0.0005 {
            var line = "\(Numbers.duration(seconds: site.delaySeconds)) on \(site.kind.rawValue) at \(site.location.short)"
            if let waiting = site.averageWaiting, waiting >= 0.005 {
                line += " (\(Numbers.decimal(waiting, places: 2)) waiting on average)"
            }
            details.append(line)
        }
        details += report.notes
        return DiagnosisSection(name: "contention", headline: headline, details: details)
    }
}
