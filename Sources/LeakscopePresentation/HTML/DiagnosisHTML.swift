import LeakscopeProfile
import LeakscopeDiagnose
import LeakscopeFlame
import LeakscopeFormat
import LeakscopePprof

/// `diagnose --html FILE`: one self-contained page — verdict, findings with evidence and fix,
/// charts of goroutines and heap over the snapshots (inline SVG), and the CPU profile's flame
/// graph (the `pprof -flame` page, embedded as an iframe document). No external URL anywhere;
/// the styles are `Assets/diagnose.css`.
public enum DiagnosisHTML {
    public static func render(_ report: DiagnosisReport, cpuProfile: Profile? = nil, title: String = "leakscope diagnose") -> String {
        var body = "<header><h1>\(escape(title))</h1>"
        if let target = report.target, !title.contains(target) { body += "<p class=\"target\">\(escape(target))</p>" }
        let alarming = report.alarming
        if alarming.isEmpty {
            body += "<p class=\"verdict ok\">No problems found.</p>"
        } else {
            let critical = alarming.filter { $0.severity == .critical }.count
            body += "<p class=\"verdict bad\">\(alarming.count) problem\(alarming.count == 1 ? "" : "s") found"
            body += critical > 0 ? " (\(critical) critical)</p>" : "</p>"
        }
        body += "</header>"

        let charts = report.sections.flatMap(\.charts).filter { $0.points.count >= 2 }
        if !charts.isEmpty {
            body += "<section><h2>Over the snapshots</h2><div class=\"charts\">"
            for chart in charts { body += svg(chart) }
            body += "</div></section>"
        }

        body += "<section><h2>Findings</h2>"
        if report.findings.isEmpty { body += "<p>Nothing looked unusual.</p>" }
        for (i, finding) in report.findings.enumerated() {
            body += "<article class=\"finding \(finding.severity.rawValue)\">"
            body += "<h3><span class=\"badge\">\(finding.severity.rawValue)</span> \(i + 1). \(escape(finding.title))</h3>"
            body += "<p class=\"meta\">\(finding.kind.rawValue) · score \(finding.score)"
            if let location = finding.location {
                body += " · <code>\(escape(location.function))</code> <code>\(escape(location.file)):\(location.line)</code>"
            }
            body += "</p>"
            for item in finding.staticEvidence ?? [] {
                body += "<p class=\"static\"><b>Static:</b> <code>\(escape(item.check))</code> at "
                    + "<code>\(escape(item.file)):\(item.line):\(item.column)</code> — \(escape(item.message)); "
                    + "<b>fix:</b> \(escape(item.fix))</p>"
            }
            body += "<p><b>Why:</b> \(escape(finding.evidence.summary))</p>"
            body += "<p><b>Fix:</b> \(escape(finding.hint))</p>"
            if let chart = finding.evidence.seriesChart { body += svg(chart, small: true) }
            if !finding.evidence.metrics.isEmpty {
                body += "<p class=\"metrics\">" + finding.evidence.metrics.map {
                    "<span>\(escape($0.name)) = \(Numbers.decimal($0.value, places: $0.value.rounded() == $0.value ? 0 : 2))</span>"
                }.joined(separator: " ") + "</p>"
            }
            if !finding.evidence.stack.isEmpty {
                body += "<details><summary>stack</summary><pre>" + finding.evidence.stack.map(escape).joined(separator: "\n") + "</pre></details>"
            }
            body += "</article>"
        }
        body += "</section>"

        if let staticOnly = report.staticOnly, !staticOnly.isEmpty {
            body += "<section><h2>Static only</h2><p>Lint findings in functions with no runtime evidence.</p><ul>"
            for item in staticOnly {
                body += "<li><code>\(escape(item.file)):\(item.line):\(item.column)</code> \(escape(item.message)) "
                    + "(<code>\(escape(item.check))</code>) in <code>\(escape(item.function))</code></li>"
            }
            body += "</ul></section>"
        }

        for trace in report.traces ?? [] { body += traceSection(trace) }

        if !report.sections.isEmpty {
            body += "<section><h2>What was checked</h2><dl>"
            for section in report.sections {
                body += "<dt>\(escape(section.name))</dt><dd>\(escape(section.headline))"
                if !section.details.isEmpty {
                    body += "<ul>" + section.details.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
                }
                body += "</dd>"
            }
            body += "</dl></section>"
        }
        var page = HTMLPage(title: title, css: PageAssets.diagnoseCSS)
        page.append(body)
        if let cpuProfile, !cpuProfile.samples.isEmpty {
            let index = cpuProfile.sampleTypes.firstIndex { $0.type == "cpu" } ?? cpuProfile.defaultSampleIndex
            let flame = FlameGraph.html(cpuProfile, valueIndex: index, options: PprofOptions(), title: "CPU profile")
            page.append("<section><h2>CPU flame graph</h2><iframe class=\"flame\" title=\"CPU flame graph\" srcdoc=\"")
            page.appendEscaped(flame)
            page.append("\"></iframe></section>")
        }
        if !report.notes.isEmpty {
            page.append("<section><h2>Notes</h2><ul>" + report.notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul></section>")
        }
        page.append("\n")  // `</body>` on a line of its own, as on the other pages
        return String(decoding: page.finish(), as: UTF8.self)
    }

    /// A line chart with dots, min/max labels and the first/last point labels.
    static func svg(_ chart: DiagnosisChart, small: Bool = false) -> String {
        let width = small ? 320.0 : 440.0, height = small ? 90.0 : 160.0, pad = 34.0
        let values = chart.points.map(\.value)
        guard let low = values.min(), let high = values.max(), values.count >= 2 else { return "" }
        let span = high > low ? high - low : 1
        let useTime = chart.points.allSatisfy { $0.seconds != nil }
        let xs: [Double] = chart.points.enumerated().map { i, p in
            if useTime, let last = chart.points.last?.seconds, last > 0 { return (p.seconds ?? 0) / last }
            return Double(i) / Double(chart.points.count - 1)
        }
        func x(_ f: Double) -> String { Numbers.decimal(pad + f * (width - 2 * pad), places: 1) }
        func y(_ v: Double) -> String { Numbers.decimal(height - pad / 2 - (v - low) / span * (height - pad), places: 1) }
        var path = ""
        for (i, v) in values.enumerated() { path += (i == 0 ? "M" : "L") + x(xs[i]) + "," + y(v) + " " }
        var svg = "<figure class=\"chart\"><figcaption>\(escape(chart.title))</figcaption>"
        svg += "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">"
        svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\"/>"
        // Dots mark snapshots; a long series (a GODEBUG log) is a line alone.
        for (i, v) in values.enumerated() where values.count <= 40 {
            svg += "<circle cx=\"\(x(xs[i]))\" cy=\"\(y(v))\" r=\"3\" fill=\"#c0392b\"><title>\(escape(chart.points[i].label)): \(escape(chart.format(v)))</title></circle>"
        }
        svg += "<text x=\"2\" y=\"12\">\(escape(chart.format(high)))</text>"
        svg += "<text x=\"2\" y=\"\(Int(height) - 4)\">\(escape(chart.format(low)))</text>"
        if useTime, let last = chart.points.last?.seconds {
            svg += "<text x=\"\(Int(width - pad))\" y=\"\(Int(height) - 4)\" text-anchor=\"end\">\(escape(Numbers.duration(seconds: last)))</text>"
        }
        return svg + "</svg></figure>"
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
