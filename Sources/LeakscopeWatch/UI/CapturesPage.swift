import Foundation
import LeakscopeFindings
import LeakscopeFormat

/// `/captures`: every capture with its status, top finding and links; `/captures/ID`: one
/// capture's findings and links to its diagnose report and profile views, which are
/// `leakscope serve`'s pages for the capture directory, mounted at `/captures/ID/files/`.
enum CapturesPage {
    static func render(_ captures: [CaptureRecord], firing: Int) -> [UInt8] {
        let body = "<h1>Captures</h1>\n" + table(captures, showTarget: true)
        return WatchPage.render(title: "leakscope watch: captures", current: .captures, firing: firing, body: body)
    }

    static func table(_ captures: [CaptureRecord], showTarget: Bool) -> String {
        guard !captures.isEmpty else { return "<p class=\"empty\">No captures.</p>\n" }
        var html = "<div class=\"scroll\"><table class=\"ws\" id=\"captures\"><thead><tr><th data-sort=\"num\">#</th>"
        html += "<th data-sort=\"num\">Time</th>" + (showTarget ? "<th data-sort=\"text\">Target</th>" : "")
        html += "<th data-sort=\"text\">Status</th><th>Top finding</th><th>Open</th></tr></thead><tbody>\n"
        for capture in captures.sorted(by: { $0.time > $1.time }) {
            let id = capture.id ?? 0
            html += "<tr data-capture=\"\(id)\"><td class=\"num\" data-v=\"\(id)\"><a href=\"/captures/\(id)\">\(id)</a></td>"
            html += "<td class=\"num\" data-v=\"\(capture.time)\">\(WatchPage.time(capture.time))</td>"
            if showTarget {
                html += "<td class=\"url\"><a href=\"\(WatchPage.escape(WatchPage.targetLink(capture.target)))\">\(WatchPage.escape(capture.target))</a></td>"
            }
            html += "<td>\(WatchPage.badge(capture.status))"
            if let alert = capture.alertID { html += "<br><a href=\"/alerts/\(alert)\">alert \(alert)</a>" }
            html += "</td><td>"
            if let top = findings(capture).first {
                html += "\(WatchPage.escape(top.title))"
                if let location = top.location {
                    html += "<br><code class=\"function\">\(WatchPage.escape(location.function))</code> "
                    let full = "\(location.file):\(location.line)"
                    html += "<code class=\"location\" title=\"\(WatchPage.escape(full))\">\(WatchPage.escape(WatchPage.shortPath(full)))</code>"
                }
            } else if let error = capture.error {
                html += "<span class=\"error-text\">\(WatchPage.escape(error))</span>"
            } else {
                html += "<span class=\"muted\">–</span>"
            }
            html += "</td><td class=\"links\">"
            if capture.status != "running" {
                html += "<a href=\"/captures/\(id)/files/r/0\" class=\"report-link\">report</a>"
                html += "<a href=\"/captures/\(id)/files/\" class=\"profiles-link\">profiles</a>"
            }
            html += "</td></tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    static func detail(_ capture: CaptureRecord, firing: Int) -> [UInt8] {
        let id = capture.id ?? 0
        var body = "<h1>Capture \(id) of \(WatchPage.escape(capture.target))</h1>\n<dl class=\"facts\" id=\"capture\">"
        body += "<dt>Status</dt><dd>\(WatchPage.badge(capture.status))</dd>"
        body += "<dt>Time</dt><dd>\(WatchPage.time(capture.time))</dd>"
        body += "<dt>Target</dt><dd><a href=\"\(WatchPage.escape(WatchPage.targetLink(capture.target)))\">\(WatchPage.escape(capture.target))</a></dd>"
        if let alert = capture.alertID { body += "<dt>Alert</dt><dd><a href=\"/alerts/\(alert)\">alert \(alert)</a></dd>" }
        body += "<dt>Directory</dt><dd><code>\(WatchPage.escape(capture.directory))</code> <span class=\"muted\">(leakscope diagnose reads it)</span></dd>"
        if let error = capture.error { body += "<dt>Error</dt><dd class=\"error-text\">\(WatchPage.escape(error))</dd>" }
        body += "</dl>\n"
        if capture.status != "running" {
            body += "<p class=\"links\"><a href=\"/captures/\(id)/files/r/0\" class=\"report-link\">Diagnose report</a>"
            body += "<a href=\"/captures/\(id)/files/\" class=\"profiles-link\">Profiles (flame graph, top, comparisons)</a></p>\n"
        } else {
            body += "<p class=\"muted\">Still capturing; the report and the profiles appear when it is done.</p>\n"
        }
        body += "<h2>Findings</h2>\n" + findingsList(capture)
        return WatchPage.render(title: "leakscope watch: capture \(id)", current: .captures, firing: firing, body: body)
    }

    static func findingsList(_ capture: CaptureRecord) -> String {
        let list = findings(capture)
        guard !list.isEmpty else { return "<p class=\"empty\">No findings\(capture.status == "running" ? " yet" : "").</p>\n" }
        return "<div id=\"findings\">" + list.map(WatchPage.finding).joined() + "</div>\n"
    }

    /// The diagnosis's top findings stored with the capture.
    static func findings(_ capture: CaptureRecord?) -> [Finding] {
        guard let text = capture?.findings else { return [] }
        return (try? JSONDecoder().decode([Finding].self, from: Data(text.utf8))) ?? []
    }
}
