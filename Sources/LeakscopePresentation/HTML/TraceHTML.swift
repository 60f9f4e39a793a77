import LeakscopeFindings
import LeakscopeFormat
import LeakscopeLifecycle

/// `leakscope trace --html`: findings, then each creation site with a timeline of its creations per
/// generation (blue) and its goroutines still alive at the end (red). The page is static SVG and a
/// table, one row per site, so it stays light whatever the trace's size.
public enum TraceHTML {
    public static func render(_ report: LifecycleReport, title: String) -> String {
        var page = HTMLPage(title: title, css: PageAssets.traceCSS)
        page.append("<h1>\(HTMLText.escape(title))</h1>\n")
        let totals = report.goroutines
        page.append("<p>\(HTMLText.escape(report.traceVersion)) trace, \(Numbers.duration(seconds: report.windowSeconds)), "
                    + "\(Numbers.count(report.events)) events. Goroutines: \(TraceVocabulary.totals(totals)).</p>\n"
                    + "<h2>Findings</h2>\n")
        if report.findings.isEmpty { page.append("<p>No goroutine leaks, spawn storms or churn found.</p>\n") }
        for finding in report.findings {
            page.append("<div class=\"finding \(finding.severity.rawValue)\"><strong>\(HTMLText.escape(finding.title))</strong>")
            if let location = finding.location { page.append("<br>where: \(HTMLText.escape(location.short))") }
            page.append("<br>why: \(HTMLText.escape(finding.evidence.summary))<br>fix: \(HTMLText.escape(finding.hint))")
            if !finding.evidence.stack.isEmpty {
                page.append("<pre>\(HTMLText.escape(finding.evidence.stack.joined(separator: "\n")))</pre>")
            }
            page.append("</div>\n")
        }
        page.append("<h2>Creation sites</h2>\n<table class=\"sites\"><tr><th class=\"site\">site</th><th>created</th><th>ended</th>"
                    + "<th>alive</th><th>peak</th><th>median life</th><th>created per generation</th></tr>\n")
        for site in report.sites {
            page.append("<tr\(site.preExisting ? " class=\"pre\"" : "")><td class=\"site\">\(siteCell(site))</td>"
                        + "<td>\(Numbers.count(site.created))</td><td>\(Numbers.count(site.ended))</td>"
                        + "<td>\(Numbers.count(site.alive))</td><td>\(Numbers.count(site.peakAlive))</td>"
                        + "<td>\(TraceVocabulary.medianLife(site))</td>"
                        + "<td class=\"timeline\">\(timeline(site))</td></tr>\n")
        }
        page.append("</table>\n")
        return String(decoding: page.finish(), as: UTF8.self)
    }

    /// The site's name, where the ones alive at the end are (three places) and who woke them.
    static func siteCell(_ site: LifecycleReport.Site) -> String {
        var cell = HTMLText.escape(TraceVocabulary.siteName(site))
        for state in site.atEnd.prefix(3) {
            cell += "<div class=\"endstate\">\(HTMLText.escape(TraceVocabulary.endState(state, preExisting: site.preExisting)))</div>"
        }
        if !site.wokenBy.isEmpty {
            cell += "<div class=\"endstate\">woken by \(HTMLText.escape(TraceText.wakers(site.wokenBy)))</div>"
        }
        return cell
    }

    /// Bars of creations per generation, and a red bar for the goroutines alive at the end.
    static func timeline(_ site: LifecycleReport.Site) -> String {
        let counts = site.createdPerGeneration
        let top = max(1, max(counts.max() ?? 0, site.alive))
        let width = 240.0, height = 28.0
        let slot = width / Double(counts.count + 1)
        var svg = "<svg width=\"240\" height=\"28\" role=\"img\" aria-label=\"created per generation\">"
        for (index, count) in counts.enumerated() where count > 0 {
            let h = max(1, height * Double(count) / Double(top))
            svg += "<rect class=\"created\" x=\"\(Numbers.decimal(Double(index) * slot, places: 1))\" "
                + "y=\"\(Numbers.decimal(height - h, places: 1))\" width=\"\(Numbers.decimal(max(1, slot - 1), places: 1))\" "
                + "height=\"\(Numbers.decimal(h, places: 1))\"><title>generation \(index + 1): \(Numbers.count(count)) created</title></rect>"
        }
        if site.alive > 0 {
            let h = max(1, height * Double(site.alive) / Double(top))
            svg += "<rect class=\"alive\" x=\"\(Numbers.decimal(Double(counts.count) * slot, places: 1))\" "
                + "y=\"\(Numbers.decimal(height - h, places: 1))\" width=\"\(Numbers.decimal(max(1, slot - 1), places: 1))\" "
                + "height=\"\(Numbers.decimal(h, places: 1))\"><title>\(Numbers.count(site.alive)) alive at the end</title></rect>"
        }
        return svg + "</svg>"
    }
}
