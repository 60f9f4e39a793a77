import LeakscopePprof

/// `ui/flamegraph`: the flame graph page (LeakscopePresentation's, served with live data) under
/// the menus. With `-base`/`-diff_base` it is the differential flame graph.
enum FlameGraphView: WebView {
    static let name = "flamegraph"
    static let menuTitle: String? = "Flame Graph"

    static func render(_ context: ViewContext) throws(WebError) -> WebReply {
        // The chips need the filtered profile: the page hands over the one it filtered (once).
        do {
            let page = try context.session.flamePage(options: context.options) { prepared in
                PageShell.header(context, prepared: prepared, ownSearch: true)
            }
            return WebReply(body: page)
        } catch {
            throw WebError(.badRequest, error.message)
        }
    }
}
