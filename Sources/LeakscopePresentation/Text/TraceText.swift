import LeakscopeFindings
import LeakscopeFormat
import LeakscopeLifecycle

/// `leakscope trace` for a terminal: totals, findings first, then the creation sites.
public enum TraceText {
    /// `top` caps the sites listed.
    public static func render(_ report: LifecycleReport, name: String, top: Int = 15) -> String {
        var out = "\(name): \(report.traceVersion) execution trace, \(Numbers.duration(seconds: report.windowSeconds)), "
            + "\(Numbers.count(report.generations)) generation\(report.generations == 1 ? "" : "s"), "
            + "\(Numbers.count(report.events)) events\n"
        let totals = report.goroutines
        out += "Goroutines: \(TraceVocabulary.totals(totals))\n\n"
        if report.findings.isEmpty {
            out += "No goroutine leaks, spawn storms or churn found.\n"
        }
        for (index, finding) in report.findings.enumerated() {
            out += "\(index + 1). \(finding.severity.rawValue.uppercased()) [\(finding.kind.rawValue), score \(finding.score)] \(finding.title)\n"
            if let location = finding.location { out += "   where: \(location.short)\n" }
            out += "   why:   \(finding.evidence.summary)\n"
            out += "   fix:   \(finding.hint)\n"
            for frame in finding.evidence.stack.prefix(6) { out += "          \(frame)\n" }
        }
        out += "\nCreation sites (alive at the end first):\n"
        out += pad("CREATED", 9) + pad("ENDED", 9) + pad("ALIVE", 9) + pad("PEAK", 9) + pad("MEDIAN LIFE", 13) + "SITE\n"
        for site in report.sites.prefix(top) {
            out += pad(Numbers.count(site.created), 9) + pad(Numbers.count(site.ended), 9) + pad(Numbers.count(site.alive), 9)
                + pad(Numbers.count(site.peakAlive), 9) + pad(TraceVocabulary.medianLife(site), 13)
                + TraceVocabulary.siteName(site) + "\n"
            for state in site.atEnd.prefix(3) {
                out += String(repeating: " ", count: 49) + TraceVocabulary.endState(state, preExisting: site.preExisting) + "\n"
            }
            if !site.wokenBy.isEmpty {
                out += String(repeating: " ", count: 49) + "woken by " + wakers(site.wokenBy) + "\n"
            }
        }
        if report.sites.count > top { out += "… \(report.sites.count - top) more sites (--format json lists all)\n" }
        return out
    }

    /// `main.producer → main.worker 1,204, runtime 12, …` (the three that woke the most).
    public static func wakers(_ wakers: [LifecycleReport.Waker]) -> String {
        let shown = wakers.prefix(3).map { waker in
            let name = waker.entry.isEmpty || waker.entry == waker.function ? waker.function : "\(waker.function) → \(waker.entry)"
            return "\(name)\(waker.preExisting ? " (before the trace)" : "") \(Numbers.count(waker.count))"
        }
        return shown.joined(separator: ", ") + (wakers.count > 3 ? ", …" : "")
    }

    private static func pad(_ text: String, _ width: Int) -> String { TraceVocabulary.pad(text, width) }
}
