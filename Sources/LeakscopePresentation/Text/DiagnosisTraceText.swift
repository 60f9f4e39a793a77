import LeakscopeDiagnose
import LeakscopeFormat
import LeakscopeLifecycle

/// Diagnose's "Goroutine lifecycles" section for a terminal, one block per execution trace, in
/// `leakscope trace`'s words: totals, the top creation sites, the application's first (created, ended,
/// alive, share ended and where the alive ones wait), time blocked by reason, spawn storms and churn.
extension DiagnosisText {
    /// `siteLimit` caps the creation sites listed (nil: all); sites a verdict rests on are always listed.
    static func traceSection(_ trace: DiagnosisTrace, style: Style, siteLimit: Int?) -> String {
        var out = "\n" + style.bold("Goroutine lifecycles (execution trace, \(Numbers.duration(seconds: trace.windowSeconds)))")
            + ": \(trace.name)\n"
        out += "  \(trace.traceVersion), \(Numbers.count(trace.generations)) generation\(trace.generations == 1 ? "" : "s"), "
            + "\(Numbers.count(trace.events)) events; goroutines: \(TraceVocabulary.totals(trace.goroutines))\n"
        let limit = siteLimit ?? trace.sites.count
        let shown = trace.applicationSitesFirst.enumerated().filter { $0.offset < limit || !trace.verdicts(for: $0.element).isEmpty }.map(\.element)
        if !shown.isEmpty {
            out += "  " + style.dim(pad("CREATED", 9) + pad("ENDED", 9) + pad("ALIVE", 9) + pad("ENDED%", 8) + "SITE") + "\n"
        }
        for site in shown {
            let share = site.endedShare.map(Numbers.percent) ?? "-"
            out += "  " + pad(Numbers.count(site.created), 9) + pad(Numbers.count(site.ended), 9) + pad(Numbers.count(site.alive), 9)
                + pad(share, 8) + TraceVocabulary.siteName(site)
            for verdict in trace.verdicts(for: site) { out += " — " + style.bold(phrase(verdict)) }
            out += "\n"
            if let state = site.atEnd.first {
                var line = TraceVocabulary.endState(state, preExisting: site.preExisting)
                if site.atEnd.count > 1 { line += "; \(Numbers.count(site.atEnd.count - 1)) more place\(site.atEnd.count == 2 ? "" : "s")" }
                out += String(repeating: " ", count: 37) + line + "\n"
            }
        }
        if shown.count < trace.sites.count {
            out += "  " + style.dim("… \(Numbers.count(trace.sites.count - shown.count)) more sites (--all lists them)") + "\n"
        }
        if !trace.blocked.isEmpty {
            let reasons = trace.blocked.prefix(siteLimit == nil ? trace.blocked.count : 4).map(TraceVocabulary.blockTime)
            out += "  blocked (summed over goroutines): " + reasons.joined(separator: ", ") + (reasons.count < trace.blocked.count ? ", …" : "") + "\n"
        }
        for pattern in trace.patterns.prefix(siteLimit == nil ? trace.patterns.count : 2) {
            out += "  \(pattern.kind.rawValue): \(pattern.title)\n"
        }
        return out
    }

    /// `confirms the leak in main.worker`, `clears the suspicion in main.awaitReply`, ….
    static func phrase(_ verdict: DiagnosisTrace.Verdict) -> String {
        switch verdict.outcome {
        case .confirmed: "confirms the leak in \(verdict.finding)"
        case .cleared: "clears the suspicion in \(verdict.finding) (they end)"
        case .held: "waits in \(verdict.finding) through the whole trace"
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String { TraceVocabulary.pad(text, width) }
}
