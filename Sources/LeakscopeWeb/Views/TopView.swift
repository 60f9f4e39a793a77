import LeakscopePprof

/// `ui/top`: pprof's top table (500 rows, as pprof's web UI asks for), every cell the string
/// `go tool pprof -top` prints. Click a heading to sort, a row to select it (its name goes into
/// the search box for REFINE), double-click or Enter to focus on it; arrows move the selection.
/// At function granularity each row links to its annotated source.
enum TopView: WebView {
    static let name = "top"
    static let menuTitle: String? = "Top"

    static func render(_ context: ViewContext) throws(WebError) -> WebReply {
        var options = context.options
        if context.query["n"] == nil { options.nodeCount = 500 }
        let prepared = try context.session.preparedForWeb(.top, options: options)
        let table = PprofReport.topTable(prepared, options: options)
        var body = "<main><div class=\"legend\">"
        body += table.labels.map(PageShell.escape).joined(separator: "\n")
        body += "</div>\n<table class=\"top\" id=\"toptable\"><thead><tr>"
        for (index, heading) in ["flat", "flat%", "sum%", "cum", "cum%", "name", "inline"].enumerated() {
            body += "<th data-col=\"\(index)\"\(index >= 5 ? " class=\"name\"" : "")>\(heading)</th>"
        }
        let sourceLinks = options.granularity == .functions || options.granularity == .filefunctions
            || options.granularity == .lines
        if sourceLinks { body += "<th class=\"name\"></th>" }
        body += "</tr></thead><tbody>\n"
        for row in table.rows {
            body += "<tr data-flat=\"\(row.flatValue)\" data-cum=\"\(row.cumValue)\"><td>\(PageShell.escape(row.flat))</td>"
            body += "<td>\(row.flatPercent)</td><td>\(row.sumPercent)</td><td>\(PageShell.escape(row.cum))</td>"
            body += "<td>\(row.cumPercent)</td><td class=\"name\">\(PageShell.escape(row.name))</td>"
            body += "<td class=\"name\">\(PageShell.escape(row.inline.trimmingLeadingSpaces))</td>"
            if sourceLinks {
                // The function is the name's first word at these granularities (`main.f x.go:12`).
                let function = String(row.name.split(separator: " ").first ?? "")
                let href = context.link("source", ["f": "^" + SourceView.quoteMeta(function) + "$"])
                body += "<td class=\"name\"><a class=\"src\" href=\"\(PageShell.escape(href))\">source</a></td>"
            }
            body += "</tr>\n"
        }
        body += "</tbody></table></main>\n<script>\n\(script)</script>\n"
        let header = PageShell.header(context, prepared: prepared, ownSearch: false)
        return WebReply(body: PageShell.page(title: context.session.title + " · top", header: header, body: body))
    }

    static let script = #"""
        (function () {
          var table = document.getElementById('toptable'), body = table.tBodies[0], sel = -1;
          function rows() { return Array.prototype.slice.call(body.rows); }
          function quote(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
          function select(i) {
            var r = rows(); if (!r.length) return;
            i = Math.max(0, Math.min(r.length - 1, i));
            if (sel >= 0 && r[sel]) r[sel].classList.remove('sel');
            sel = i; r[i].classList.add('sel'); r[i].scrollIntoView({ block: 'nearest' });
            var q = document.getElementById('ls-q'); if (q) q.value = '^' + quote(r[i].cells[5].textContent) + '$';
          }
          function focusOn(i) {
            var r = rows()[i]; if (!r) return;
            var u = new URL(location.href); u.searchParams.set('f', '^' + quote(r.cells[5].textContent) + '$');
            location.href = u.toString();
          }
          body.addEventListener('click', function (e) { var tr = e.target.closest('tr'); if (tr) select(tr.sectionRowIndex); });
          body.addEventListener('dblclick', function (e) { var tr = e.target.closest('tr'); if (tr) focusOn(tr.sectionRowIndex); });
          document.addEventListener('keydown', function (e) {
            if (document.activeElement && document.activeElement.id === 'ls-q') return;
            if (e.key === 'ArrowDown') { e.preventDefault(); select(sel + 1); }
            else if (e.key === 'ArrowUp') { e.preventDefault(); select(sel - 1); }
            else if (e.key === 'Enter' && sel >= 0) focusOn(sel);
          });
          var dir = {};
          table.tHead.addEventListener('click', function (e) {
            var th = e.target.closest('th'); if (!th || th.dataset.col === undefined) return;
            var col = +th.dataset.col; dir[col] = !dir[col];
            var key = function (tr) {
              if (col <= 2) return +tr.dataset.flat;
              if (col <= 4) return +tr.dataset.cum;
              return tr.cells[col].textContent;
            };
            var sign = dir[col] ? -1 : 1;
            var r = rows().sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * sign; });
            r.forEach(function (tr) { body.appendChild(tr); });
            sel = -1;
          });
        })();
        """#
}
