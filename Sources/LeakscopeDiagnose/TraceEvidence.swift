import LeakscopeFindings
import LeakscopeFormat
import LeakscopeLifecycle

/// What an execution trace adds to a diagnosis: goroutine lifecycles seen over the traced seconds.
///
/// A snapshot suspicion (goroutines piling up in one function) is matched with the trace's creation
/// sites whose goroutines run, wait or are stuck in that function. Then:
/// - **confirmed** when the trace finds a leak at such a site (created during the trace, none or few
///   ended, still waiting at the end): the finding gains score, a line of trace evidence and the
///   trace as a source;
/// - **cleared** when the trace saw such goroutines end and none waited in the function through the
///   whole trace: they are slow, not stuck, and the finding drops to `info` with the trace's reading;
/// - **held since before the trace** when goroutines alive at the trace's start waited there through
///   the whole trace and none ended (a lower bound on their wait), which strengthens it a little.
///
/// The trace's own findings that no snapshot finding took up (a leak the snapshots missed, spawn
/// storms, churn) are added as they are.
enum TraceEvidence {
    /// Every threshold of the matching, in one place.
    struct Thresholds {
        /// Score added to a snapshot finding the trace confirms.
        var confirmBonus = 10
        /// Score added when goroutines from before the trace waited through all of it.
        var heldBonus = 5
        /// A suspicion is cleared only when at least this many of the matched goroutines ended…
        var clearMinimumEnded = 3
        /// … and at least this share of the matched goroutines seen in the trace ended.
        var clearMinimumEndedShare = 0.5
        /// A goroutine that waited this share of the trace window or more counts as held through it.
        var wholeWindowShare = 0.9
        /// The score of a cleared finding is at most this (info).
        var clearedScore = 15
    }

    /// Returns the report's section for each trace, with the verdicts it reached.
    @discardableResult
    static func apply(_ traces: [(name: String, report: LifecycleReport)], to findings: inout [Finding],
                      notes: inout [String], thresholds: Thresholds = .init()) -> [DiagnosisTrace] {
        var sections: [DiagnosisTrace] = []
        for (name, report) in traces {
            notes.append(summary(name, report))
            var verdicts: [DiagnosisTrace.Verdict] = []
            var unused = report.findings
            for index in findings.indices where findings[index].kind == .goroutineLeak {
                guard let function = findings[index].location?.function else { continue }
                let related = report.sites.filter { matches($0, function) }
                guard !related.isEmpty else { continue }
                if let leak = unused.firstIndex(where: { finding in
                    finding.kind == .goroutineLeak && related.contains { isSite($0, of: finding) }
                }) {
                    verdicts.append(confirm(&findings[index], by: unused[leak], name: name, report: report,
                                            function: function, related: related, thresholds: thresholds))
                    unused.remove(at: leak)
                } else if let verdict = judge(&findings[index], name: name, report: report, function: function,
                                              related: related, thresholds: thresholds) {
                    verdicts.append(verdict)
                }
            }
            // Goroutines from before the trace that wait where a snapshot finding already points are that finding.
            let covered = Set(findings.filter { $0.kind == .goroutineLeak }.compactMap { $0.location?.function })
            findings += unused.filter { !($0.kind == .goroutineLeak && $0.location.map { covered.contains($0.function) } == true) }
            sections.append(DiagnosisTrace(name: name, report: report, verdicts: verdicts))
        }
        return sections
    }

    /// `execution trace X: 3s, 1,234 goroutines created, 1,100 ended, 40 alive at the end (12 from before it)`.
    static func summary(_ name: String, _ report: LifecycleReport) -> String {
        let totals = report.goroutines
        return "execution trace \(name): \(Numbers.duration(seconds: report.windowSeconds)), "
            + "\(Numbers.count(totals.created)) goroutines created, \(Numbers.count(totals.ended)) ended, "
            + "\(Numbers.count(totals.alive)) alive at the end (\(Numbers.count(totals.preExisting)) from before it)"
    }

    /// Whether the site's goroutines run, waited or are waiting in `function`.
    static func matches(_ site: LifecycleReport.Site, _ function: String) -> Bool {
        site.entry == function || site.waits.contains { $0.function == function }
            || site.atEnd.contains { $0.function == function }
            || (site.preExisting && site.function == function)
    }

    /// Whether a trace finding is about `site` (its creation frame).
    static func isSite(_ site: LifecycleReport.Site, of finding: Finding) -> Bool {
        !site.preExisting && finding.location?.function == site.function && finding.location?.line == site.line
            && finding.location?.file == site.file
    }

    private static func confirm(_ finding: inout Finding, by trace: Finding, name: String, report: LifecycleReport,
                                function: String, related: [LifecycleReport.Site],
                                thresholds: Thresholds) -> DiagnosisTrace.Verdict {
        let score = min(100, max(finding.score, trace.score) + thresholds.confirmBonus)
        finding.score = score
        let severity = Finding.Severity.forScore(score)
        if severity < finding.severity { finding.severity = severity }
        let site = related.first { isSite($0, of: trace) }
        let created = site?.created ?? 0
        let ended = site?.ended ?? 0
        let waiting = site?.atEnd.filter { $0.state == "waiting" } ?? []
        let oldest = waiting.map(\.oldestSeconds).max() ?? 0
        var line = " The execution trace confirms it: over \(Numbers.duration(seconds: report.windowSeconds)), "
            + "\(Numbers.count(created)) goroutines running \(site?.entry ?? function) were created at "
            + "\(trace.location?.short ?? "one site"), \(ended == 0 ? "none" : Numbers.count(ended)) ended, and "
            + "\(Numbers.count(waiting.reduce(0) { $0 + $1.count })) still wait"
        if let place = waiting.first { line += " (\(place.reason.isEmpty ? "waiting" : place.reason) in \(place.function))" }
        line += ", the oldest for \(Numbers.duration(seconds: oldest))"
        let siblings = report.sites.filter { !$0.preExisting && $0.created > 0 && $0.ended * 2 >= $0.created && !related.contains($0) }
        if !siblings.isEmpty {
            line += ", while \(Numbers.count(siblings.count)) other creation site\(siblings.count == 1 ? "'s" : "s'") "
                + "goroutines ended"
        }
        finding.evidence.summary += line + "."
        finding.evidence.metrics += [.init("trace_created", Double(created)), .init("trace_ended", Double(ended))]
        finding.evidence.sources.append(name)
        return DiagnosisTrace.Verdict(outcome: .confirmed, finding: function, sites: site.map { [.init($0)] } ?? [])
    }

    /// Clears the finding, or strengthens it with goroutines held since before the trace, or leaves it.
    private static func judge(_ finding: inout Finding, name: String, report: LifecycleReport, function: String,
                              related: [LifecycleReport.Site], thresholds: Thresholds) -> DiagnosisTrace.Verdict? {
        let window = report.windowSeconds
        let ended = related.reduce(0) { $0 + $1.ended }
        let created = related.reduce(0) { $0 + $1.created }
        let waitingHere = related.flatMap(\.atEnd).filter { $0.state == "waiting" && $0.function == function }
        let heldThrough = waitingHere.filter { $0.oldestSeconds >= thresholds.wholeWindowShare * window }
        let held = heldThrough.reduce(0) { $0 + $1.count }
        let alive = related.reduce(0) { $0 + $1.alive }
        if held == 0, ended >= thresholds.clearMinimumEnded,
           Double(ended) >= thresholds.clearMinimumEndedShare * Double(ended + alive) {
            let lifetimes = related.compactMap(\.medianLifetimeSeconds)
            let median = lifetimes.isEmpty ? "" : ", median lifetime \(Numbers.duration(seconds: lifetimes.max() ?? 0))"
            finding.evidence.summary += " The execution trace clears it: over \(Numbers.duration(seconds: window)), "
                + "\(Numbers.count(ended)) of these goroutines ended (\(Numbers.count(created)) were created\(median)) and "
                + "none waited in \(function) the whole time: they are slow, not stuck."
            finding.score = min(finding.score, thresholds.clearedScore)
            finding.severity = .info
            finding.title += " (the execution trace saw them end)"
            finding.evidence.metrics += [.init("trace_created", Double(created)), .init("trace_ended", Double(ended))]
            finding.evidence.sources.append(name)
            return DiagnosisTrace.Verdict(outcome: .cleared, finding: function, sites: related.map(DiagnosisTrace.SiteKey.init))
        } else if held > 0, ended == 0 {
            finding.score = min(100, finding.score + thresholds.heldBonus)
            finding.evidence.summary += " The execution trace saw \(Numbers.count(held)) of them wait in \(function) "
                + "through all of its \(Numbers.duration(seconds: window)) (at least that long) and none end."
            finding.evidence.metrics.append(.init("trace_held_through", Double(held)))
            finding.evidence.sources.append(name)
            let holding = related.filter { site in site.atEnd.contains { heldThrough.contains($0) } }
            return DiagnosisTrace.Verdict(outcome: .held, finding: function, sites: holding.map(DiagnosisTrace.SiteKey.init))
        }
        return nil
    }
}
