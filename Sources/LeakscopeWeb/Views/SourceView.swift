#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopePprof

/// `ui/source?f=RE`: the source of the functions matching `f`, each line with its flat and cum
/// values (`-list RE` with focus `RE`, as pprof's source view), the hot lines shaded by their
/// share of the function's cum.
///
/// Files are read only as the profile names them, looked up under `-source_path` (the current
/// directory by default) and Go's layout, by a confined `SourceReader`: no parameter names a
/// path, nothing outside the search directories is read unless the profile names that absolute
/// source file itself, and only source files (`.go`, `.s`, `.c` …) are opened.
enum SourceView: WebView {
    static let name = "source"
    static let menuTitle: String? = "Source"
    /// Routines shown at most (a regexp like `.` matches every function).
    static let maxRoutines = 60

    static func render(_ context: ViewContext) throws(WebError) -> WebReply {
        guard let pattern = context.query["f"] else {
            let header = PageShell.header(context, prepared: nil, ownSearch: false)
            let body = "<main><p>Type a regexp in the box and press Enter (or choose REFINE › Focus) to see the annotated source of the functions it matches; or open it from a row of the Top view.</p></main>\n"
            return WebReply(body: PageShell.page(title: context.session.title + " · source", header: header, body: body))
        }
        let prepared = try context.session.preparedForWeb(.list(pattern), options: context.options)
        let header = PageShell.header(context, prepared: prepared, ownSearch: false)
        let listing: SourceListing
        do {
            let reader = SourceReader(paths: prepared.sourcePaths, confined: true, goRoots: goRoots())
            listing = try PprofReport.sourceListing(prepared, pattern: pattern, options: context.options, reader: reader)
        } catch {
            throw WebError(.badRequest, String(describing: error))
        }
        var body = "<main class=\"source\"><div class=\"legend\">Total: \(PageShell.escape(listing.totalLabel))</div>\n"
        for (index, entry) in listing.entries.enumerated() {
            if index == maxRoutines {
                body += "<p class=\"more\">\(listing.entries.count - maxRoutines) more functions not shown: narrow the regexp.</p>\n"
                break
            }
            switch entry {
            case .noSource(let function):
                body += "<h2>\(PageShell.escape(function))</h2><p class=\"nosrc\">No source information for \(PageShell.escape(function))</p>\n"
            case .routine(let routine):
                body += routineHTML(routine, context: context)
            }
        }
        body += "</main>\n<style>\(css)</style>\n"
        return WebReply(body: PageShell.page(title: context.session.title + " · source", header: header, body: body))
    }

    private static func routineHTML(_ routine: SourceListing.Routine, context: ViewContext) -> String {
        var html = "<section class=\"routine\"><h2>\(PageShell.escape(routine.function))"
        html += " <span class=\"file\">\(PageShell.escape(routine.file))</span></h2>\n"
        html += "<div class=\"sum\">\(PageShell.escape(routine.flatLabel)) flat, \(PageShell.escape(routine.cumLabel)) cum, "
        html += "\(PageShell.escape(routine.percent.trimmingLeadingSpaces)) of total · "
        html += "<a href=\"\(PageShell.escape(context.link("peek", ["f": "^" + quoteMeta(routine.function) + "$"])))\">peek</a></div>\n"
        if let error = routine.error {
            return html + "<p class=\"error\">\(PageShell.escape(error))</p></section>\n"
        }
        var hottest: Int64 = 0
        for line in routine.lines { hottest = max(hottest, abs(line.cum)) }
        html += "<table class=\"src\"><thead><tr><th>flat</th><th>cum</th><th>line</th><th class=\"code\">source</th></tr></thead><tbody>\n"
        for line in routine.lines {
            var attributes = ""
            if line.cum != 0 && hottest > 0 {
                // Five shades by share of the function's hottest line.
                let level = min(5, 1 + Int(5 * Double(abs(line.cum)) / Double(hottest + 1)))
                attributes = " class=\"hot h\(level)\""
            }
            html += "<tr\(attributes) id=\"L\(line.number)\"><td>\(PageShell.escape(line.flatLabel))</td>"
            html += "<td>\(PageShell.escape(line.cumLabel))</td><td class=\"no\">\(line.number)</td>"
            html += "<td class=\"code\">\(PageShell.escape(String(decoding: line.text, as: UTF8.self)))</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    /// Go's `regexp.QuoteMeta`.
    static func quoteMeta(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\.+*?()|[]{}^$".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Where a confined reader finds Go's own sources: `$GOROOT/src` and the module cache
    /// (`$GOMODCACHE`, else `$GOPATH/pkg/mod`, else `~/go/pkg/mod`), when set and present.
    static func goRoots() -> [String] {
        func env(_ name: String) -> String? {
            guard let value = getenv(name) else { return nil }
            let text = String(cString: value)
            return text.isEmpty ? nil : text
        }
        var roots: [String] = []
        if let root = env("GOROOT") { roots.append(root + "/src") }
        if let cache = env("GOMODCACHE") {
            roots.append(cache)
        } else if let gopath = env("GOPATH") {
            roots.append(String(gopath.split(separator: ":").first ?? "") + "/pkg/mod")
        } else if let home = env("HOME") {
            roots.append(home + "/go/pkg/mod")
        }
        return roots
    }

    static let css = """
        main.source h2{font:600 14px ui-monospace,Menlo,Consolas,monospace;margin:18px 0 2px}
        main.source h2 .file{font-weight:400;color:#555;font-size:12px;margin-left:8px}
        main.source .sum{color:#444;margin-bottom:4px}
        table.src{border-collapse:collapse;font:12px ui-monospace,Menlo,Consolas,monospace}
        table.src th{background:#eef;padding:2px 8px;text-align:right}table.src th.code{text-align:left}
        table.src td{padding:0 8px;text-align:right;white-space:nowrap;color:#333}
        table.src td.no{color:#888}table.src td.code{text-align:left;white-space:pre;tab-size:4}
        table.src tr.hot td{font-weight:600}
        tr.h1 td{background:#fff4e0}tr.h2 td{background:#ffe4c2}tr.h3 td{background:#ffd09a}
        tr.h4 td{background:#ffb870}tr.h5 td{background:#ff9c4a}
        """
}
