import LeakscopeDiagnose
import LeakscopeFormat

/// `diagnose` for a terminal: the verdict first, then each finding (title, where, why, fix),
/// then what each analysis looked at. ANSI colour only when asked.
public enum DiagnosisText {
    /// `infoLimit` caps how many info-level findings are listed (nil: all of them).
    public static func render(_ report: DiagnosisReport, color: Bool = false, stackDepth: Int = 6,
                              infoLimit: Int? = 3) -> String {
        let style = Style(enabled: color)
        var out = ""
        if let target = report.target { out += style.bold("leakscope diagnose \(target)") + "\n" }
        let alarming = report.alarming
        let infos = report.findings.filter { $0.severity == .info }.count
        let shownInfos = infoLimit.map { min(infos, $0) } ?? infos
        if alarming.isEmpty {
            out += style.green("No problems found.") + " "
            out += report.findings.isEmpty ? "Nothing looked unusual.\n" : "\(report.findings.count) note\(report.findings.count == 1 ? "" : "s") at info level.\n"
        } else {
            let critical = alarming.filter { $0.severity == .critical }.count
            var verdict = "\(alarming.count) problem\(alarming.count == 1 ? "" : "s") found"
            if critical > 0 { verdict += " (\(critical) critical)" }
            // The list below also shows info notes: say so, so the count matches what follows.
            if shownInfos > 0 { verdict += ", and \(shownInfos) note\(shownInfos == 1 ? "" : "s") at info level" }
            out += style.bold(verdict) + ". Most urgent first:\n"
        }
        let shown = report.findings.count - infos + shownInfos
        for (i, finding) in report.findings.prefix(shown).enumerated() {
            out += "\n"
            let badge = switch finding.severity {
            case .critical: style.red("CRITICAL")
            case .warning: style.yellow("WARNING")
            case .info: style.dim("info")
            }
            out += "\(i + 1). \(badge) [\(finding.kind.rawValue), score \(finding.score)] \(style.bold(finding.title))\n"
            if let location = finding.location {
                out += "   where: \(location.function)  \(location.file):\(location.line)\n"
            }
            for item in finding.staticEvidence ?? [] { out += "   static: \(item.line1)\n" }
            out += "   why:   \(finding.evidence.summary)\n"
            if let chart = finding.evidence.seriesChart, let first = chart.points.first, let last = chart.points.last {
                let bytes = chart.unit == "bytes"
                out += "   trend: \(sparkline(chart.points.map(\.value))) \(chart.format(first.value)) → \(chart.format(last.value))"
                if !bytes && !chart.title.isEmpty { out += " " + chart.title }
                if let rate = finding.evidence.perMinute {
                    out += " (\(bytes ? Numbers.signedBytes(rate) : Numbers.signed(rate))/min)"
                }
                out += "\n"
            }
            out += "   fix:   \(finding.hint)\n"
            if !finding.evidence.stack.isEmpty && stackDepth > 0 {
                // Start one frame inside the responsible function: what it called, then itself and
                // its callers; allocator and runtime internals above that are rarely the point.
                let stack = finding.evidence.stack
                let own = finding.location.flatMap { location in stack.firstIndex { $0.hasPrefix(location.function + " (") } } ?? 0
                let start = max(0, own - 1)
                out += "   stack:\n"
                if start > 0 { out += "     \(style.dim("… \(start) inner frame\(start == 1 ? "" : "s")"))\n" }
                for frame in stack[start...].prefix(stackDepth) { out += "     \(style.dim(frame))\n" }
                if stack.count - start > stackDepth {
                    out += "     \(style.dim("… \(stack.count - start - stackDepth) more"))\n"
                }
            }
        }
        if shown < report.findings.count {
            out += "\n" + style.dim("… \(report.findings.count - shown) more at info level (--all lists them)") + "\n"
        }
        if let staticOnly = report.staticOnly, !staticOnly.isEmpty {
            out += "\n" + style.bold("Static only") + " (lint findings in functions with no runtime evidence):\n"
            // Briefly: the first ten unless --all (the JSON and HTML reports list them all).
            let shown = infoLimit == nil ? staticOnly.count : min(staticOnly.count, 10)
            for item in staticOnly.prefix(shown) {
                out += "  \(item.file):\(item.line):\(item.column): \(item.message) (\(item.check)) in \(item.function)\n"
            }
            if shown < staticOnly.count {
                out += "  " + style.dim("… \(Numbers.count(staticOnly.count - shown)) more (--all lists them)") + "\n"
            }
        }
        for trace in report.traces ?? [] {
            out += traceSection(trace, style: style, siteLimit: infoLimit == nil ? nil : 3)
        }
        if !report.sections.isEmpty {
            out += "\n" + style.bold("What was checked") + "\n"
            for section in report.sections {
                out += "  \(section.name): \(section.headline)\n"
                for chart in section.charts where chart.points.count >= 2 {
                    let values = chart.points.map(\.value)
                    out += "    \(chart.title): \(sparkline(values)) \(chart.format(values.min() ?? 0))–\(chart.format(values.max() ?? 0))\n"
                }
                for line in section.details { out += "    \(line)\n" }
            }
        }
        for note in report.notes { out += style.dim("note: \(note)") + "\n" }
        return out
    }

    static func sparkline(_ values: [Double]) -> String { TerminalChart.sparkline(values, width: min(values.count, 40)) }

    struct Style {
        var enabled: Bool
        func wrap(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func bold(_ text: String) -> String { wrap("1", text) }
        func dim(_ text: String) -> String { wrap("2", text) }
        func red(_ text: String) -> String { wrap("1;31", text) }
        func yellow(_ text: String) -> String { wrap("1;33", text) }
        func green(_ text: String) -> String { wrap("1;32", text) }
    }
}
