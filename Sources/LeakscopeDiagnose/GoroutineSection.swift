import LeakscopeFormat
import LeakscopeGoroutineAnalysis

/// The goroutine part of the report's overview.
extension DiagnosisSection {
    static func goroutines(_ analysis: GoroutineAnalysis, leakProfiles: Int) -> DiagnosisSection {
        let counts = analysis.dumps.map(\.goroutines)
        var headline = "\(analysis.dumps.count) dump\(analysis.dumps.count == 1 ? "" : "s"), "
        headline += counts.map(Numbers.count).joined(separator: " → ") + " goroutines"
        let suspects = analysis.suspects.count
        headline += suspects == 0 ? ", no leak suspects" : ", \(suspects) suspect bucket\(suspects == 1 ? "" : "s")"
        var details: [String] = []
        let states = analysis.byState.prefix(5).map { "\($0.state.isEmpty ? "(no state)" : $0.state) \(Numbers.count($0.count))" }
        if !states.isEmpty { details.append("by state: " + states.joined(separator: ", ")) }
        for site in analysis.blockingSites.prefix(3) {
            let place = site.site?.short ?? "runtime only"
            details.append("\(Numbers.count(site.count)) waiting at \(place)")
        }
        if let change = analysis.change {
            details.append("since the previous dump: \(Numbers.count(change.new)) new, \(Numbers.count(change.gone)) gone, \(Numbers.count(change.persisted)) still there")
        }
        if leakProfiles > 0 { details.append("goroutineleak profiles read: \(leakProfiles)") }
        let first = analysis.dumps.first?.time
        let chart = DiagnosisChart(title: "goroutines", unit: "count", points: analysis.dumps.map { dump in
            DiagnosisChart.Point(label: dump.name, seconds: first.flatMap { f in dump.time.map { $0 - f } },
                                 value: Double(dump.goroutines))
        })
        return DiagnosisSection(name: "goroutines", headline: headline, details: details,
                                charts: counts.count >= 2 ? [chart] : [])
    }
}
