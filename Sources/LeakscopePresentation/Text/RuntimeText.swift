import LeakscopeFindings
import LeakscopeGodebugAnalysis
import LeakscopeFormat

/// `leakscope gctrace`'s terminal report: line counts, one verdict per topic, small charts, findings.
public enum RuntimeText {
    /// The whole report. `color` adds ANSI colour (verdict tags, chart bars); `width` is the chart width in columns.
    public static func render(_ summary: RuntimeSummary, color: Bool = false, width: Int = 60) -> String {
        var out = "leakscope gctrace: \(summary.source)\n"
        out += "  " + summary.lineSummary + "\n"
        if summary.runs > 1 {
            out += "  the log holds \(summary.runs) process runs; trends use the last\n"
        }
        out += "\n"
        out += verdicts(summary, color: color)
        out += "\n"
        out += charts(summary, color: color, width: width)
        let findings = summary.findings
        if findings.isEmpty {
            out += "No findings: nothing in this log needs attention.\n"
        } else {
            out += "Findings:\n"
            for (index, finding) in findings.enumerated() {
                out += "  \(index + 1). " + tag(finding.severity.rawValue, level(finding.severity), color: color)
                    + " " + finding.title + "\n"
                out += "     " + finding.evidence.summary + "\n"
                out += "     hint: " + finding.hint + "\n"
            }
        }
        return out
    }


    static func verdicts(_ summary: RuntimeSummary, color: Bool) -> String {
        var rows: [(String, RuntimeSummary.Verdict)] = []
        if let heap = summary.heap { rows.append(("live heap", heap.verdict)) }
        if let cpu = summary.gcCPU { rows.append(("GC CPU", cpu.verdict)) }
        if let frequency = summary.gcFrequency { rows.append(("GC rate", frequency.verdict)) }
        if let pauses = summary.pauses { rows.append(("GC pauses", pauses.verdict)) }
        if let threads = summary.threads { rows.append(("threads", threads.verdict)) }
        if let scheduler = summary.scheduler { rows.append(("run queues", scheduler.verdict)) }
        if let goroutines = summary.goroutines { rows.append(("goroutines", goroutines.verdict)) }
        if rows.isEmpty { return "" }
        let nameWidth = rows.map(\.0.count).max() ?? 0
        var out = ""
        for (name, verdict) in rows {
            let word = verdict.level == .ok ? "ok" : verdict.level.rawValue.uppercased()
            let shown = tag(word, verdict.level, color: color)
            out += "  " + shown + String(repeating: " ", count: max(0, 10 - word.count - 2)) + " "
                + name + String(repeating: " ", count: nameWidth - name.count) + "  " + verdict.reason + "\n"
        }
        if let scavenger = summary.scavenger {
            out += "  scavenger: \(scavenger.samples) lines, \(scavenger.lastReleasedKiB) KiB returned to the OS now, "
                + "\(Numbers.percentage(Double(scavenger.lastUtilPercent))) heap utilisation\n"
        }
        return out
    }

    static func charts(_ summary: RuntimeSummary, color: Bool, width: Int) -> String {
        let series = summary.series
        var out = ""
        func add(_ points: [RuntimeSummary.Point], _ title: String, _ unit: String, _ reduction: TerminalChart.Reduction,
                 _ tint: TerminalChart.Color, height: Int = 5) {
            guard points.count >= 2 else { return }
            out += TerminalChart.columns(points.map(\.value), title: title, unit: unit, width: width, height: height,
                                         reduction: reduction, xStart: Numbers.duration(seconds: points[0].seconds),
                                         xEnd: Numbers.duration(seconds: points[points.count - 1].seconds),
                                         color: color ? tint : nil)
            out += "\n"
        }
        add(series.heapLiveMB, "live heap after GC", "MB", .mean, .cyan)
        add(series.gcCPUPercent, "GC CPU since start", "%", .last, .magenta, height: 3)
        add(series.pauseMilliseconds, "GC stop-the-world pause", "ms", .max, .yellow, height: 3)
        add(series.threads, "OS threads", "", .max, .blue, height: 3)
        add(series.runQueue, "runnable goroutines waiting", "", .mean, .green, height: 3)
        add(series.goroutines, "goroutines (scheddetail)", "", .mean, .green, height: 3)
        return out
    }

    static func level(_ severity: Finding.Severity) -> RuntimeSummary.Level {
        switch severity {
        case .critical: .critical
        case .warning: .warning
        case .info: .ok
        }
    }

    static func tag(_ word: String, _ level: RuntimeSummary.Level, color: Bool) -> String {
        let text = "[\(word)]"
        guard color else { return text }
        let code = level == .critical ? "1;31" : level == .warning ? "1;33" : "32"
        return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
    }
}
