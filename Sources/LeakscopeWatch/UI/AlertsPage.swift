import Foundation
import LeakscopeFindings
import LeakscopeFormat

/// `/alerts` (`?state=firing|resolved`): every alert, firing first, with the finding its capture's
/// diagnosis attached (function, `file:line`, evidence, fix) and a link to the capture;
/// `/alerts/ID`: one alert with all of its capture's findings and its target's history around it.
enum AlertsPage {
    static func render(_ alerts: [AlertRecord], captures: [CaptureRecord], state: String?, firing: Int, now: Double) -> [UInt8] {
        let shown = alerts.filter { state == nil || $0.state == state }
        var body = "<h1>Alerts</h1>\n<div class=\"ranges\"><span class=\"muted\">Show</span>"
        for (name, value) in [("all", nil), ("firing", "firing"), ("resolved", "resolved")] as [(String, String?)] {
            let href = value.map { "/alerts?state=\($0)" } ?? "/alerts"
            body += "<a href=\"\(href)\"\(value == state ? " class=\"current\"" : "")>\(name)</a>"
        }
        body += "</div>\n" + table(shown, captures: captures, now: now, showTarget: true)
        return WatchPage.render(title: "leakscope watch: alerts", current: .alerts, firing: firing, body: body)
    }

    /// The alerts table (also on a target's page). Firing alerts first, newest first within.
    static func table(_ alerts: [AlertRecord], captures: [CaptureRecord], now: Double, showTarget: Bool) -> String {
        guard !alerts.isEmpty else { return "<p class=\"empty\">No alerts.</p>\n" }
        let byID = Dictionary(captures.compactMap { capture in capture.id.map { ($0, capture) } }, uniquingKeysWith: { a, _ in a })
        let ordered = alerts.sorted { ($0.state == "firing" ? 0 : 1, -$0.startsAt) < ($1.state == "firing" ? 0 : 1, -$1.startsAt) }
        var html = "<div class=\"scroll\"><table class=\"ws\" id=\"alerts\"><thead><tr><th data-sort=\"text\">State</th>"
        html += "<th data-sort=\"text\">Rule</th>" + (showTarget ? "<th data-sort=\"text\">Target</th>" : "")
        html += "<th data-sort=\"num\">Started</th><th>Finding and capture</th></tr></thead><tbody>\n"
        for alert in ordered {
            let id = alert.id.map(String.init) ?? ""
            html += "<tr class=\"alert \(WatchPage.escape(alert.state))\" data-alert=\"\(id)\" data-target=\"\(WatchPage.escape(alert.target))\">"
            html += "<td data-v=\"\(alert.state)\">\(WatchPage.badge(alert.state))<br>\(WatchPage.badge(alert.severity))</td>"
            html += "<td class=\"rule\" data-v=\"\(WatchPage.escape(alert.rule))\"><a href=\"/alerts/\(id)\">\(WatchPage.escape(alert.rule))</a>"
            html += "<br><span class=\"summary muted\">\(WatchPage.escape(alert.summary))</span></td>"
            if showTarget {
                html += "<td class=\"url\"><a href=\"\(WatchPage.escape(WatchPage.targetLink(alert.target)))\">\(WatchPage.escape(alert.target))</a></td>"
            }
            html += "<td class=\"num\" data-v=\"\(alert.startsAt)\">\(WatchPage.time(alert.startsAt))<br><span class=\"muted\">"
            if alert.state == "resolved", let end = alert.endsAt {
                html += "lasted \(Numbers.duration(seconds: max(0, end - alert.startsAt)))"
            } else {
                html += "for \(Numbers.duration(seconds: max(0, (now - alert.startsAt).rounded())))"
            }
            html += "</span></td>"
            html += "<td class=\"finding-cell\">\(findingCell(alert, capture: alert.captureID.flatMap { byID[$0] }))"
            if let capture = alert.captureID {
                html += "<br><a href=\"/captures/\(capture)\" class=\"capture-link\">capture \(capture)</a> · "
                html += "<a href=\"/captures/\(capture)/files/r/0\" class=\"report-link\">diagnose report</a>"
            }
            html += "</td></tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    /// The alert's function, `file:line`, the evidence of the capture's matching finding, the fix.
    static func findingCell(_ alert: AlertRecord, capture: CaptureRecord?) -> String {
        let finding = matching(alert, in: CapturesPage.findings(capture))
        guard alert.function != nil || alert.findingTitle != nil || finding != nil else {
            return capture?.status == "running" ? "<span class=\"muted\">diagnosing…</span>" : "<span class=\"muted\">–</span>"
        }
        var html = ""
        if let title = alert.findingTitle ?? finding?.title { html += "<b>\(WatchPage.escape(title))</b><br>" }
        if let function = alert.function { html += "<code class=\"function\">\(WatchPage.escape(function))</code> " }
        if let location = alert.location {
            html += "<code class=\"location\" title=\"\(WatchPage.escape(location))\">\(WatchPage.escape(WatchPage.shortPath(location)))</code>"
        }
        if let evidence = finding?.evidence.summary { html += "<br><span class=\"evidence\">\(WatchPage.escape(evidence))</span>" }
        if let hint = alert.hint ?? finding?.hint { html += "<br><span class=\"hint\"><b>Fix:</b> \(WatchPage.escape(hint))</span>" }
        return html
    }

    /// The finding the alert carries (same function), else the capture's top one.
    static func matching(_ alert: AlertRecord, in findings: [Finding]) -> Finding? {
        findings.first { $0.location?.function == alert.function && alert.function != nil } ?? findings.first
    }

    static func detail(_ alert: AlertRecord, capture: CaptureRecord?, firing: Int, now: Double) -> [UInt8] {
        let id = alert.id.map(String.init) ?? ""
        var body = "<h1>Alert \(id): \(WatchPage.escape(alert.rule)) on \(WatchPage.escape(alert.target))</h1>\n<dl class=\"facts\" id=\"alert\">"
        body += "<dt>State</dt><dd>\(WatchPage.badge(alert.state)) \(WatchPage.badge(alert.severity))</dd>"
        body += "<dt>Target</dt><dd><a href=\"\(WatchPage.escape(WatchPage.targetLink(alert.target, extra: around(alert, now: now))))\">\(WatchPage.escape(alert.target))</a></dd>"
        body += "<dt>Metric</dt><dd>\(WatchPage.escape(alert.metric))</dd>"
        body += "<dt>Started</dt><dd>\(WatchPage.time(alert.startsAt))</dd>"
        if alert.state == "resolved", let end = alert.endsAt { body += "<dt>Resolved</dt><dd>\(WatchPage.time(end))</dd>" }
        body += "<dt>Summary</dt><dd>\(WatchPage.escape(alert.summary))</dd>"
        if let function = alert.function { body += "<dt>Function</dt><dd><code class=\"function\">\(WatchPage.escape(function))</code></dd>" }
        if let location = alert.location { body += "<dt>Location</dt><dd><code class=\"location\">\(WatchPage.escape(location))</code></dd>" }
        if let hint = alert.hint { body += "<dt>Fix</dt><dd>\(WatchPage.escape(hint))</dd>" }
        body += "</dl>\n"
        if let capture {
            body += "<p class=\"links\"><a href=\"/captures/\(capture.id ?? 0)\">Capture \(capture.id ?? 0)</a>"
            body += "<a href=\"/captures/\(capture.id ?? 0)/files/r/0\" class=\"report-link\">Diagnose report</a>"
            body += "<a href=\"/captures/\(capture.id ?? 0)/files/\">Profiles</a></p>\n"
            body += "<h2>Findings of its capture</h2>\n" + CapturesPage.findingsList(capture)
        } else {
            body += "<p class=\"empty\">No capture for this alert (captures are disabled, or the target was captured within the cooldown).</p>\n"
        }
        return WatchPage.render(title: "leakscope watch: alert \(id)", current: .alerts, firing: firing, body: body)
    }

    /// A range from ten minutes before the alert to five minutes after it ended (or now).
    static func around(_ alert: AlertRecord, now: Double) -> String {
        let end = alert.state == "resolved" ? (alert.endsAt ?? now) : now
        return "&from=\(Int(alert.startsAt - 600))&to=\(Int(min(end + 300, max(now, end))))"
    }
}
