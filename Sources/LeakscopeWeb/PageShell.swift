import LeakscopeFormat
import LeakscopePprof
import LeakscopePresentation

/// The bar above every view: VIEW, SAMPLE and REFINE menus like pprof's, a regexp box, the
/// download link, and a chip per active filter with the totals it changed. Plain links and
/// `<details>` menus, so it works without script; a little script adds the REFINE actions and
/// the `/` and Esc keys.
enum PageShell {
    /// The bar's markup for `context`. `prepared` (the filtered profile the view shows) gives
    /// the "shown of total" line; `ownSearch` says the page has its own search box (the flame
    /// graph), which REFINE then reads instead of the bar's.
    static func header(_ context: ViewContext, prepared: PreparedProfile?, ownSearch: Bool) -> String {
        var html = "<nav id=\"ls-nav\">"
        for crumb in context.breadcrumbs {
            html += "<a class=\"ls-crumb\" href=\"\(escape(crumb.href))\">\(escape(crumb.title))</a> › "
        }
        html += "<b class=\"ls-brand\">leakscope</b>"

        html += menu("View", items: WebViews.all.compactMap { view -> (title: String, href: String, current: Bool)? in
            guard let title = view.menuTitle else { return nil }
            return (title, context.link(view.name), view.name == context.viewName)
        })
        let types = context.session.sampleTypes
        if types.count > 1 {
            let current = prepared?.valueIndex ?? -1
            html += menu("Sample", items: types.enumerated().map { index, type in
                (type.type, context.link(context.viewName, ["si": type.type]), index == current)
            })
        }
        html += "<details class=\"ls-menu\" id=\"ls-refine\"><summary>Refine</summary><div class=\"ls-items\">"
        for (key, title) in [("f", "Focus"), ("i", "Ignore"), ("h", "Hide"), ("s", "Show"), ("sf", "Show from")] {
            html += "<button type=\"button\" data-param=\"\(key)\">\(title)</button>"
        }
        let reset = context.uiPath + context.viewName + context.query.keeping(["si"]).string
        html += "<a href=\"\(escape(reset))\" id=\"ls-reset\">Reset</a></div></details>"
        if !ownSearch {
            html += "<input id=\"ls-q\" type=\"search\" placeholder=\"regexp, / to focus\" spellcheck=\"false\" value=\"\(escape(context.query["f"] ?? ""))\">"
        }
        html += "<a class=\"ls-link\" href=\"\(escape(context.link("download")))\">Download</a>"
        html += chips(context, prepared: prepared)
        html += "</nav>\n<script>\n\(script)</script>\n<style>\(css)</style>\n"
        return html
    }

    /// One chip per active filter (with a ✕ link dropping it) and the share of the total shown.
    static func chips(_ context: ViewContext, prepared: PreparedProfile?) -> String {
        let filters: [(key: String, name: String, value: String?)] = [
            ("f", "focus", context.options.focus), ("i", "ignore", context.options.ignore),
            ("h", "hide", context.options.hide), ("s", "show", context.options.show),
            ("sf", "show_from", context.options.showFrom), ("prunefrom", "prune_from", context.options.pruneFrom),
            ("tf", "tagfocus", context.options.tagFocus), ("ti", "tagignore", context.options.tagIgnore),
            ("ts", "tagshow", context.options.tagShow), ("th", "taghide", context.options.tagHide),
        ]
        let active = filters.filter { $0.value != nil }
        if active.isEmpty { return "" }
        var html = "<span id=\"ls-filters\">"
        for filter in active {
            let drop = context.link(context.viewName, [filter.key: nil])
            let fromURL = context.query[filter.key] != nil
            html += "<span class=\"ls-chip\">\(filter.name)=\(escape(filter.value ?? ""))"
            html += fromURL ? " <a href=\"\(escape(drop))\" title=\"remove this filter\">✕</a></span>"
                : " <i title=\"set on the command line\">(flag)</i></span>"
        }
        if let prepared {
            var shown: Int64 = 0
            for sample in prepared.profile.samples where prepared.valueIndex < sample.values.count {
                let value = sample.values[prepared.valueIndex]
                shown &+= value < 0 ? 0 &- value : value
            }
            let unit = prepared.sampleUnit
            html += "<span id=\"ls-shown\">shows \(MeasurementFormat.scaledLabel(shown, from: unit, to: "minimum")) of "
            html += "\(MeasurementFormat.scaledLabel(prepared.total, from: unit, to: "minimum")) total"
            html += " (\(MeasurementFormat.percentage(shown, of: prepared.total).trimmingLeadingSpaces))</span>"
        }
        return html + "</span>"
    }

    private static func menu(_ title: String, items: [(title: String, href: String, current: Bool)]) -> String {
        var html = "<details class=\"ls-menu\"><summary>\(title)</summary><div class=\"ls-items\">"
        for item in items {
            html += "<a href=\"\(escape(item.href))\"\(item.current ? " class=\"ls-current\"" : "")>\(escape(item.title))</a>"
        }
        return html + "</div></details>"
    }

    /// A whole page for views with no page of their own (top, peek, errors).
    static func page(title: String, header: String, body: String) -> [UInt8] {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(escape(title))</title>\n<style>\(pageCSS)</style>\n</head>\n<body>\n"
        html += header + body + "</body>\n</html>\n"
        return Array(html.utf8)
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    static let css = """
        #ls-nav{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;padding:5px 10px;background:#2f3b4c;color:#eee;\
        font:13px system-ui,sans-serif;position:relative;z-index:5}
        #ls-nav a{color:#cfe3ff}#ls-nav .ls-brand{color:#fff;margin-right:6px}
        .ls-menu{position:relative}.ls-menu summary{cursor:pointer;list-style:none;padding:2px 8px;border:1px solid #5b6b80;\
        border-radius:3px;text-transform:uppercase;font-size:12px;letter-spacing:.04em}
        .ls-menu[open] summary{background:#45556b}
        .ls-items{position:absolute;top:24px;left:0;background:#fff;border:1px solid #999;box-shadow:0 3px 8px rgba(0,0,0,.25);\
        min-width:150px;max-height:70vh;overflow:auto;z-index:10}
        .ls-items a,.ls-items button{display:block;width:100%;text-align:left;padding:4px 10px;color:#222!important;\
        text-decoration:none;border:0;background:none;font:inherit;cursor:pointer}
        .ls-items a:hover,.ls-items button:hover{background:#e8eef8}.ls-items .ls-current{font-weight:700}
        #ls-q{width:240px;padding:2px 6px;font:inherit}
        .ls-chip{background:#fff3c4;color:#222;border-radius:10px;padding:1px 8px;margin-right:4px;font-family:ui-monospace,monospace}
        .ls-chip a{color:#a00!important;text-decoration:none}#ls-shown{color:#ffe9a8}
        """

    static let pageCSS = """
        body{margin:0;font:13px system-ui,sans-serif;color:#222}
        main{padding:8px 12px}
        .legend{color:#444;margin:4px 0 8px;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
        .error{background:#fde8e8;border:1px solid #d99;padding:8px 12px;margin:12px;font-weight:600}
        pre.report{font:12px ui-monospace,Menlo,Consolas,monospace;white-space:pre;overflow:auto}
        table.top{border-collapse:collapse;font:12px ui-monospace,Menlo,Consolas,monospace}
        table.top th{position:sticky;top:0;background:#eef;cursor:pointer;padding:3px 8px;text-align:right;user-select:none}
        table.top th.name,table.top td.name{text-align:left}
        table.top td{padding:1px 8px;text-align:right;white-space:nowrap}
        table.top tr:nth-child(even) td{background:#f7f7f7}
        table.top tr.sel td{background:#cfe0ff}
        table.top td.name{max-width:60vw;overflow:hidden;text-overflow:ellipsis}
        """

    /// REFINE reads the page's search box (the flame graph's, or the bar's) and reloads the view
    /// with that filter; `/` focuses the box and Esc clears it.
    static let script = #"""
        document.addEventListener('DOMContentLoaded', function () {
          function box() { return document.getElementById('search') || document.getElementById('ls-q'); }
          document.querySelectorAll('#ls-refine button').forEach(function (b) {
            b.addEventListener('click', function () {
              var q = box() ? box().value : '';
              if (!q) { alert('Type a regexp in the search box first.'); return; }
              var u = new URL(location.href);
              u.searchParams.set(b.dataset.param, q);
              u.hash = '';
              location.href = u.toString();
            });
          });
          var own = document.getElementById('ls-q');
          if (own) {
            own.addEventListener('keydown', function (e) {
              if (e.key === 'Enter' && own.value) {
                var u = new URL(location.href); u.searchParams.set('f', own.value); location.href = u.toString();
              }
            });
            document.addEventListener('keydown', function (e) {
              if (e.key === '/' && document.activeElement !== own) { e.preventDefault(); own.focus(); }
              else if (e.key === 'Escape') { own.value = ''; own.blur(); }
            });
          }
          document.addEventListener('click', function (e) {
            document.querySelectorAll('details.ls-menu[open]').forEach(function (d) { if (!d.contains(e.target)) d.open = false; });
          });
        });
        """#
}

extension String {
    /// Without the padding pprof's percentage format puts in front (`  100%` → `100%`).
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
