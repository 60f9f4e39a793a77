import Foundation
import LeakscopeFormat

/// The `serve` index page: each set with a link to its diagnose report, then its profiles with
/// links to their views and to comparisons with the previous and the first profile of the same kind.
enum CaptureIndex {
    static func render(_ site: CaptureSite) -> [UInt8] {
        let base = site.mountPath
        var body = "<main><h1>leakscope serve</h1>\n"
        for (index, set) in site.sets.enumerated() {
            body += "<section><h2>\(PageShell.escape(set.title))</h2>"
            body += "<p><a href=\"\(base)/r/\(index)\" class=\"report\">Diagnose report</a> · "
            body += "\(Numbers.count(set.input.inputs.count)) inputs</p>"
            for note in set.input.notes { body += "<p class=\"note\">\(PageShell.escape(note))</p>" }
            let entries = site.entries.enumerated().filter { $0.element.set == index }
            if entries.isEmpty {
                body += "<p>No pprof profiles here (goroutine dumps and logs are in the report).</p></section>\n"
                continue
            }
            body += "<table class=\"top\"><thead><tr><th>#</th><th class=\"name\">file</th><th class=\"name\">kind</th>"
            body += "<th class=\"name\">time</th><th>size</th><th class=\"name\">views</th><th class=\"name\">compare</th></tr></thead><tbody>\n"
            var firstOfKind: [String: Int] = [:], previousOfKind: [String: Int] = [:]
            for (n, entry) in entries {
                let kind = entry.kind.rawValue
                let name = URL(fileURLWithPath: entry.path).lastPathComponent
                body += "<tr><td>\(n)</td><td class=\"name\" title=\"\(PageShell.escape(entry.path))\">\(PageShell.escape(name))</td><td class=\"name\">\(kind)</td>"
                body += "<td class=\"name\">\(entry.time.map(timestamp) ?? "–")</td><td>\(Numbers.bytes(Double(entry.bytes)))</td>"
                body += "<td class=\"name\"><a href=\"\(base)/p/\(n)/ui/flamegraph\">flame graph</a> · <a href=\"\(base)/p/\(n)/ui/top\">top</a></td>"
                var compare: [String] = []
                if let previous = previousOfKind[kind] {
                    compare.append("vs #\(previous): <a href=\"\(base)/c/diff/\(previous)/\(n)/ui/flamegraph\">diff flame</a> · <a href=\"\(base)/c/base/\(previous)/\(n)/ui/top\">−base top</a>")
                }
                if let first = firstOfKind[kind], first != previousOfKind[kind] {
                    compare.append("vs #\(first): <a href=\"\(base)/c/diff/\(first)/\(n)/ui/flamegraph\">diff flame</a>")
                }
                body += "<td class=\"name\">\(compare.joined(separator: " · "))</td></tr>\n"
                if firstOfKind[kind] == nil { firstOfKind[kind] = n }
                previousOfKind[kind] = n
            }
            body += "</tbody></table></section>\n"
        }
        body += "</main>\n"
        var header = "<nav id=\"ls-nav\">"
        for crumb in site.home {
            header += "<a class=\"ls-crumb\" href=\"\(PageShell.escape(crumb.href))\">\(PageShell.escape(crumb.title))</a> › "
        }
        header += "<b class=\"ls-brand\">leakscope</b></nav><style>\(PageShell.css)</style>\n"
        return PageShell.page(title: "leakscope serve", header: header, body: body)
    }

    /// Seconds since the epoch as `2006-01-02 15:04:05Z`.
    static func timestamp(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate, .withSpaceBetweenDateAndTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds)) + "Z"
    }
}
