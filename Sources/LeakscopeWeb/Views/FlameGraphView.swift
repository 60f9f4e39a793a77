import LeakscopePprof

/// `ui/flamegraph`: the flame graph page (LeakscopePresentation's, served with live data) under
/// the menus. With `-base`/`-diff_base` it is the differential flame graph.
enum FlameGraphView: WebView {
    static let name = "flamegraph"
    static let menuTitle: String? = "Flame Graph"

    static func render(_ context: ViewContext) throws(WebError) -> WebReply {
        // The chips need the filtered profile; preparing it also reports a bad setting as a 400
        // before the page is built.
        let prepared = try context.session.preparedForWeb(.flame, options: context.options)
        let header = PageShell.header(context, prepared: prepared, ownSearch: true)
        do {
            return WebReply(body: try context.session.flamePage(options: context.options, header: header))
        } catch {
            throw WebError(.badRequest, error.message)
        }
    }
}
