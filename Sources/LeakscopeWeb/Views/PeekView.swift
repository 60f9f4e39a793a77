import LeakscopePprof

/// `ui/peek?f=RE`: callers and callees of the functions matching `f`, at line granularity, as
/// pprof's web UI shows them (`-peek RE -focus RE -lines`).
enum PeekView: WebView {
    static let name = "peek"
    static let menuTitle: String? = "Peek"

    static func render(_ context: ViewContext) throws(WebError) -> WebReply {
        let header: String
        var body = "<main>"
        if let pattern = context.query["f"] {
            var options = context.options
            if context.query["g"] == nil { options.granularity = .lines }
            let prepared = try context.session.preparedForWeb(.peek(pattern), options: options)
            header = PageShell.header(context, prepared: prepared, ownSearch: false)
            do {
                let text = try PprofReport.render(prepared, command: .peek(pattern), options: options)
                body += "<p><a id=\"ls-source\" href=\"\(PageShell.escape(context.link("source")))\">Source of these functions</a></p>"
                body += "<pre class=\"report\">" + PageShell.escape(String(decoding: text, as: UTF8.self)) + "</pre>"
            } catch {
                throw WebError(.badRequest, String(describing: error))
            }
        } else {
            header = PageShell.header(context, prepared: nil, ownSearch: false)
            body += "<p>Type a regexp in the box and press Enter (or choose REFINE › Focus) to see the callers and callees of the functions it matches.</p>"
        }
        body += "</main>\n"
        return WebReply(body: PageShell.page(title: context.session.title + " · peek", header: header, body: body))
    }
}
