import Foundation
import LeakscopeFormat
import LeakscopeWatchRules

/// `/target?url=URL`: one target's goroutines and heap over a time range, with its alerts
/// marked (a dashed line where one started, a band while it fired; each links to the alert),
/// then its alerts and captures. The range comes from `range=15m|1h|6h|24h|7d|all` (default
/// the last hour, or less when the target's history is shorter) or `from`/`to` (seconds since 1970 or RFC 3339); dragging across a chart selects one.
enum TargetPage {
    static let ranges: [(name: String, seconds: Double?)] = [
        ("5m", 300), ("15m", 900), ("1h", 3600), ("6h", 21600), ("24h", 86400), ("7d", 604_800), ("all", nil),
    ]

    struct Inputs {
        var url: String
        var view: TargetView?
        var stored: TargetRecord?
        var goroutines: [Point]
        var heap: [Point]
        var from: Double
        var to: Double
        var rangeName: String?
        var alerts: [AlertRecord]
        var captures: [CaptureRecord]
        var firing: Int
        var now: Double
    }

    /// The time range a request asks for; `earliest` is where `all` starts.
    static func range(range: String?, from: String?, to: String?, now: Double, earliest: Double?) -> (from: Double, to: Double, name: String?)? {
        if from != nil || to != nil {
            var start = earliest ?? now - 3600, end = now
            if let from {
                guard let time = parseTime(from) else { return nil }
                start = time
            }
            if let to {
                guard let time = parseTime(to) else { return nil }
                end = time
            }
            guard end > start else { return nil }
            return (start, end, nil)
        }
        // By default the last hour, or the target's whole history when it is shorter (with a margin).
        guard let name = range else {
            if let earliest, earliest > now - 3600 { return (min(earliest - 5, now - 60), now, nil) }
            return (now - 3600, now, "1h")
        }
        guard let entry = ranges.first(where: { $0.name == name }) else { return nil }
        guard let seconds = entry.seconds else { return (min(earliest ?? now - 3600, now - 60), now, name) }
        return (now - seconds, now, name)
    }

    /// Seconds since 1970, or RFC 3339.
    static func parseTime(_ text: String) -> Double? {
        if let seconds = Double(text), seconds.isFinite { return seconds }
        return WatchServer.parseTime(text)
    }

    static func render(_ inputs: Inputs) -> [UInt8] {
        let url = inputs.url
        var body = "<h1>\(WatchPage.escape(url))</h1>\n"
        let labels = inputs.view?.labels ?? inputs.stored?.labels ?? [:]
        body += "<dl class=\"facts\">"
        if !labels.isEmpty { body += "<dt>Labels</dt><dd>\(WatchPage.labels(labels))</dd>" }
        if let view = inputs.view {
            body += "<dt>State</dt><dd>\(WatchPage.badge(view.health))"
            if let source = view.source { body += " <span class=\"muted\">read from \(source == "metrics" ? "/metrics" : "net/http/pprof")</span>" }
            body += "</dd>"
            if let error = view.lastError { body += "<dt>Last error</dt><dd class=\"error-text\">\(WatchPage.escape(error))</dd>" }
            if let goroutines = view.goroutines { body += "<dt>Goroutines</dt><dd>\(Numbers.count(goroutines))</dd>" }
            if let heap = view.heapInuseBytes { body += "<dt>Heap in use</dt><dd>\(Numbers.bytes(heap))</dd>" }
            if !view.rules.isEmpty {
                body += "<dt>Rules</dt><dd>" + view.rules.sorted { $0.key < $1.key }
                    .map { "\(WatchPage.badge($0.value)) \(WatchPage.escape($0.key))" }.joined(separator: " ") + "</dd>"
            }
        } else {
            body += "<dt>State</dt><dd>no longer watched</dd>"
        }
        body += "</dl>\n"

        body += "<div class=\"ranges\" id=\"ranges\"><span class=\"muted\">Range</span>"
        for entry in ranges {
            let current = entry.name == inputs.rangeName
            body += "<a href=\"\(WatchPage.escape(WatchPage.targetLink(url, extra: "&range=\(entry.name)")))\"\(current ? " class=\"current\"" : "")>\(entry.name)</a>"
        }
        body += "<span class=\"muted\" id=\"range-shown\">\(WatchPage.time(inputs.from)) – \(WatchPage.time(inputs.to)) · drag across a chart to zoom</span></div>\n"

        let marks = inputs.alerts.map {
            WatchCharts.Mark(id: $0.id, start: $0.startsAt, end: $0.state == "resolved" ? $0.endsAt : nil,
                             title: "\($0.rule) (\($0.state)): \($0.summary)")
        }
        for (title, metric, points, bytes) in [("Goroutines", "goroutines", inputs.goroutines, false),
                                               ("Heap in use", "heap_inuse_bytes", inputs.heap, true)] {
            body += "<figure class=\"chart\"><figcaption>\(title) <span class=\"muted\">(\(Numbers.count(points.count)) samples)</span></figcaption>"
            body += WatchCharts.history(points, metric: metric, from: inputs.from, to: inputs.to, bytes: bytes, marks: marks)
            body += "</figure>\n"
        }

        body += "<h2>Alerts</h2>\n" + AlertsPage.table(inputs.alerts, captures: inputs.captures, now: inputs.now, showTarget: false)
        body += "<h2>Captures</h2>\n" + CapturesPage.table(inputs.captures, showTarget: false)
        return WatchPage.render(title: "leakscope watch: \(url)", current: nil, firing: inputs.firing, body: body)
    }
}
