import Foundation
import LeakscopeFindings
import LeakscopeFormat
import LeakscopePresentation

/// The document every watch page is: the shared page shell (`HTMLPage`, with `Assets/watch.css`
/// and `Assets/watch.js` compiled in by scripts/embed-assets.py), a bar linking the four pages,
/// then the page's own markup. No CDN, no external file: the pages work offline.
enum WatchPage {
    /// The bar's sections; `current` is underlined.
    enum Section: String { case fleet, alerts, captures }

    static func render(title: String, current: Section?, firing: Int, body: String) -> [UInt8] {
        var page = HTMLPage(title: title, css: PageAssets.watchCSS)
        var nav = "<nav id=\"ws-nav\"><span class=\"brand\">leakscope watch</span>"
        let items: [(Section, String, String)] = [(.fleet, "/", "Fleet"), (.alerts, "/alerts", "Alerts"), (.captures, "/captures", "Captures")]
        for (section, href, label) in items {
            nav += "<a href=\"\(href)\"\(section == current ? " class=\"current\"" : "")>\(label)"
            if section == .alerts, firing > 0 { nav += "<span class=\"firing\" title=\"alerts firing\">\(Numbers.count(firing))</span>" }
            nav += "</a>"
        }
        nav += "<a href=\"/metrics\">/metrics</a><a href=\"/api/v1/targets\">API</a></nav>\n"
        page.append(nav)
        page.append("<main>\n")
        page.append(body)
        page.append("</main>\n")
        page.appendScript(PageAssets.watchJS)
        return page.finish()
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// `text` for a query value (`/target?url=…`).
    static func query(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The link to a target's history page.
    static func targetLink(_ url: String, extra: String = "") -> String {
        "/target?url=" + query(url) + extra
    }

    /// `file:line` with only the file's last two path elements (`watchfleet/main.go:44`); the
    /// full path goes in a `title`.
    static func shortPath(_ location: String) -> String {
        let parts = location.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count > 2 ? parts.suffix(2).joined(separator: "/") : location
    }

    /// A state badge (`up`, `firing`, `diagnosed`, …).
    static func badge(_ state: String) -> String {
        "<span class=\"state \(escape(state))\">\(escape(state))</span>"
    }

    static func labels(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { key, value in
            let text = "\(key)=\(value)"
            return "<a class=\"label\" href=\"/?label=\(query(text))\">\(escape(text))</a>"
        }.joined(separator: " ")
    }

    /// Seconds since 1970 as `2026-12-03 10:04:05Z`.
    static func time(_ seconds: Double) -> String { UTCTime.readable(seconds) }

    /// How long ago, Go-style (`1m30s ago`).
    static func ago(_ seconds: Double, now: Double) -> String {
        Numbers.duration(seconds: max(0, (now - seconds).rounded())) + " ago"
    }

    /// One finding as the pages show it: severity, title, function and `file:line`, the evidence, the fix.
    static func finding(_ finding: Finding) -> String {
        var html = "<div class=\"finding \(finding.severity.rawValue)\"><h3>\(badge(finding.severity.rawValue)) \(escape(finding.title))</h3>"
        if let location = finding.location {
            html += "<p class=\"where\"><code class=\"function\">\(escape(location.function))</code> "
            let full = "\(location.file):\(location.line)"
            html += "<code class=\"location\" title=\"\(escape(full))\">\(escape(shortPath(full)))</code></p>"
        }
        html += "<p class=\"evidence\"><b>Evidence:</b> \(escape(finding.evidence.summary))</p>"
        if !finding.evidence.stack.isEmpty {
            html += "<p class=\"stack muted\">" + finding.evidence.stack.prefix(6).map { "<code>\(escape($0))</code>" }.joined(separator: " ← ") + "</p>"
        }
        html += "<p class=\"hint\"><b>Fix:</b> \(escape(finding.hint))</p></div>\n"
        return html
    }
}
