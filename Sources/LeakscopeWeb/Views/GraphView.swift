import LeakscopePprof
import LeakscopePresentation

/// `ui/graph`: the call graph of `go tool pprof -dot` (same nodes, numbers, sizes and colours),
/// laid out and drawn in the browser, so it needs no Graphviz. Click a node to focus on it.
/// `n` caps the nodes (pprof's default 80, at most `maxNodes` per request).
enum GraphView: WebView {
    static let name = "graph"
    static let menuTitle: String? = "Graph"
    /// The most nodes one request may ask for: the layout runs in the browser.
    static let maxNodes = 1000

    static func render(_ context: ViewContext) throws(WebError) -> WebReply {
        var options = context.options
        var note = ""
        if options.nodeCount > maxNodes || (options.nodeCount == 0 && options.trim) {
            note = "<p class=\"graph-note\" id=\"graph-note\">n=\(options.nodeCount) asks for more nodes than one page draws; showing at most \(maxNodes).</p>"
            options.nodeCount = maxNodes
        }
        let prepared = try context.session.preparedForWeb(.dot, options: options)
        let graph = PprofReport.callGraph(prepared, options: options)
        var json = "{\"nodes\":["
        json += graph.nodes.map { n in
            "{\"id\":\(n.id),\"name\":\(js(n.name)),\"focus\":\(js(n.focusName)),\"lines\":["
                + n.lines.map(js).joined(separator: ",") + "],\"flat\":\(js(n.flat)),\"cum\":\(js(n.cum)),"
                + "\"fs\":\(n.fontSize),\"color\":\(js(n.color)),\"fill\":\(js(n.fill))}"
        }.joined(separator: ",\n")
        json += "],\"edges\":["
        json += graph.edges.map { e in
            "{\"s\":\(e.source),\"d\":\(e.destination),\"label\":\(js(e.label)),\"pen\":\(e.penWidth),"
                + "\"color\":\(e.color.map(js) ?? "null"),\"res\":\(e.residual),\"inl\":\(e.inline)}"
        }.joined(separator: ",\n")
        json += "]}"
        var body = "<main><div class=\"legend\" id=\"graph-legend\">"
        body += graph.legend.map(PageShell.escape).joined(separator: "\n")
        body += "</div>\(note)</main>\n<svg id=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"call graph\"></svg>\n"
        body += "<script type=\"application/json\" id=\"graph-data\">\(json)</script>\n"
        body += "<style>\(PageAssets.callgraphCSS)</style>\n<script>\n\(PageAssets.callgraphJS)</script>\n"
        let header = PageShell.header(context, prepared: prepared, ownSearch: false)
        return WebReply(body: PageShell.page(title: context.session.title + " · graph", header: header, body: body))
    }

    private static func js(_ s: String) -> String { GoroutineHTML.jsonString(s) }
}
