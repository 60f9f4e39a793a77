import LeakscopeFormat

/// `/`: every target with its state, goroutines and heap (value and sparkline of the latest
/// polls), the rules pending or firing on it, and its last poll. Firing and down targets come
/// first; the headers sort; `?label=KEY=VALUE` (several, comma-separated or repeated) keeps the
/// targets carrying all of them, and the filter box narrows further as you type.
enum FleetPage {
    /// Points per sparkline: the latest polls.
    static let sparkPoints = 60

    static func render(rows: [FleetRow], labelFilters: [String], firing: Int, now: Double) -> [UInt8] {
        let wanted = labelFilters.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let shown = rows.filter { row in
            wanted.allSatisfy { filter in
                let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
                guard let value = row.view.labels[parts[0]] else { return false }
                return parts.count == 1 || value == parts[1]
            }
        }.sorted { rank($0) < rank($1) }
        let up = rows.filter { $0.view.health == "up" }.count
        let down = rows.filter { $0.view.health == "down" }.count

        var body = "<h1>Fleet</h1>\n"
        body += "<p class=\"summary\" id=\"fleet-summary\"><b>\(Numbers.count(rows.count))</b> targets: "
        body += "<b>\(Numbers.count(up))</b> up, <b>\(Numbers.count(down))</b> down, "
        body += "<b>\(Numbers.count(rows.count - up - down))</b> not polled yet · "
        body += "<a href=\"/alerts?state=firing\"><b>\(Numbers.count(firing))</b> alerts firing</a></p>\n"
        body += "<form id=\"filters\" method=\"get\" action=\"/\">"
        body += "<label>Label <input type=\"text\" name=\"label\" placeholder=\"service=api\" value=\"\(WatchPage.escape(wanted.joined(separator: ",")))\" size=\"18\"></label>"
        body += "<button type=\"submit\">Filter</button>"
        if !wanted.isEmpty { body += "<a href=\"/\">clear</a>" }
        body += "<input type=\"search\" id=\"filter\" placeholder=\"narrow: words in URL or labels\" spellcheck=\"false\">"
        body += "<span class=\"muted\"><span id=\"shown\">\(shown.count)</span> shown</span></form>\n"
        if shown.isEmpty {
            body += "<p class=\"empty\">\(rows.isEmpty ? "No targets yet." : "No target carries \(WatchPage.escape(wanted.joined(separator: ", "))).")</p>\n"
            return WatchPage.render(title: "leakscope watch: fleet", current: .fleet, firing: firing, body: body)
        }
        body += "<div class=\"scroll\"><table class=\"ws\" id=\"fleet\"><thead><tr>"
        body += "<th data-sort=\"text\">Target</th><th data-sort=\"num\">State</th><th data-sort=\"num\">Goroutines</th>"
        body += "<th data-sort=\"num\">Heap in use</th><th data-sort=\"text\">Rules</th><th data-sort=\"num\">Last poll</th></tr></thead><tbody>\n"
        for row in shown { body += self.row(row, now: now) }
        body += "</tbody></table></div>\n"
        return WatchPage.render(title: "leakscope watch: fleet", current: .fleet, firing: firing, body: body)
    }

    /// Firing first, then down, then pending, then the rest (in configured order: the sort is stable).
    static func rank(_ row: FleetRow) -> Int {
        if row.view.rules.values.contains("firing") { return 0 }
        if row.view.health == "down" { return 1 }
        if row.view.rules.values.contains("pending") { return 2 }
        return 3
    }

    static func row(_ row: FleetRow, now: Double) -> String {
        let view = row.view
        let firing = view.rules.values.contains("firing")
        let search = ([view.url] + view.labels.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        var html = "<tr data-url=\"\(WatchPage.escape(view.url))\" data-search=\"\(WatchPage.escape(search))\"\(firing ? " class=\"firing\"" : "")>"
        html += "<td class=\"url\" data-v=\"\(WatchPage.escape(view.url))\"><a href=\"\(WatchPage.escape(WatchPage.targetLink(view.url)))\">"
        html += "\(WatchPage.escape(view.url))</a><br>\(WatchPage.labels(view.labels))</td>"
        let healthRank = view.health == "down" ? 0 : view.health == "unknown" ? 1 : 2
        html += "<td data-v=\"\(healthRank)\">\(WatchPage.badge(view.health))"
        if let source = view.source { html += "<br><span class=\"muted\">\(source)</span>" }
        html += "</td>"
        html += "<td class=\"num\" data-v=\"\(view.goroutines ?? -1)\">\(view.goroutines.map(Numbers.count) ?? "–")"
        html += WatchCharts.sparkline(row.goroutines, metric: "goroutines") + "</td>"
        html += "<td class=\"num\" data-v=\"\(view.heapInuseBytes ?? -1)\">\(view.heapInuseBytes.map(Numbers.bytes) ?? "–")"
        html += WatchCharts.sparkline(row.heap, metric: "heap_inuse_bytes") + "</td>"
        let rules = view.rules.sorted { ($0.value == "firing" ? 0 : 1, $0.key) < ($1.value == "firing" ? 0 : 1, $1.key) }
        html += "<td class=\"rules\" data-v=\"\(rules.map { $0.value + $0.key }.joined())\">"
        html += rules.map { "\(WatchPage.badge($0.value)) \(WatchPage.escape($0.key))" }.joined(separator: "<br>")
        html += "</td>"
        html += "<td class=\"num\" data-v=\"\(row.lastPoll.map { now - $0 } ?? 1e18)\">"
        html += row.lastPoll.map { WatchPage.ago($0, now: now) } ?? "never"
        if let seconds = view.lastPollSeconds { html += "<br><span class=\"muted\">took \(Numbers.duration(seconds: seconds))</span>" }
        if let error = view.lastError { html += "<br><span class=\"error-text\">\(WatchPage.escape(error))</span>" }
        html += "</td></tr>\n"
        return html
    }
}
