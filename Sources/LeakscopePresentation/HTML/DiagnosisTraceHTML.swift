import LeakscopeDiagnose
import LeakscopeFormat
import LeakscopeLifecycle

/// Diagnose's "Goroutine lifecycles" section as HTML: per execution trace, its totals, a table of every
/// creation site with `leakscope trace --html`'s cells (where the alive ones wait, who woke them, the
/// creations-per-generation timeline), time blocked by reason, spawn storms and churn.
extension DiagnosisHTML {
    static func traceSection(_ trace: DiagnosisTrace) -> String {
        var html = "<section class=\"lifecycles\"><h2>Goroutine lifecycles (execution trace, "
            + "\(escape(Numbers.duration(seconds: trace.windowSeconds))))</h2>"
        html += "<p><code>\(escape(trace.name))</code>: \(escape(trace.traceVersion)), "
            + "\(Numbers.count(trace.generations)) generation\(trace.generations == 1 ? "" : "s"), "
            + "\(Numbers.count(trace.events)) events. Goroutines: \(escape(TraceVocabulary.totals(trace.goroutines))).</p>"
        html += "<table class=\"sites\"><tr><th class=\"site\">creation site</th><th>created</th><th>ended</th><th>alive</th>"
            + "<th>ended %</th><th>peak</th><th>median life</th><th>created per generation</th></tr>"
        for site in trace.applicationSitesFirst {
            var cell = TraceHTML.siteCell(site)
            for verdict in trace.verdicts(for: site) {
                cell += "<div class=\"traceverdict\">\(escape(DiagnosisText.phrase(verdict)))</div>"
            }
            html += "<tr\(site.preExisting ? " class=\"pre\"" : "")><td class=\"site\">\(cell)</td>"
                + "<td>\(Numbers.count(site.created))</td><td>\(Numbers.count(site.ended))</td>"
                + "<td>\(Numbers.count(site.alive))</td><td>\(site.endedShare.map(Numbers.percent) ?? "-")</td>"
                + "<td>\(Numbers.count(site.peakAlive))</td><td>\(TraceVocabulary.medianLife(site))</td>"
                + "<td class=\"timeline\">\(TraceHTML.timeline(site))</td></tr>"
        }
        html += "</table>"
        if !trace.blocked.isEmpty {
            html += "<p><b>Blocked</b> (summed over goroutines): " + escape(trace.blocked.map(TraceVocabulary.blockTime).joined(separator: ", ")) + "</p>"
        }
        if !trace.patterns.isEmpty {
            html += "<ul>" + trace.patterns.map { "<li>\(escape($0.kind.rawValue)): \(escape($0.title))</li>" }.joined() + "</ul>"
        }
        return html + "</section>"
    }
}
