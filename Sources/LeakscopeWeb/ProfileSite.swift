import LeakscopePprof
import LeakscopePprofDriver

/// pprof's URL layout under one `ui/` folder: `ui/` redirects to the flame graph (as pprof has
/// since its flame graph became the default view), the old flame graph names redirect too, and
/// `ui/<view>` is answered by the view of that name.
enum UIRoutes {
    /// Answers `rest` (the path after `uiPath`, e.g. `top`) for `session`.
    static func respond(_ rest: Substring, query: WebQuery, session: PprofSession, uiPath: String,
                        breadcrumbs: [(title: String, href: String)] = []) throws(WebError) -> WebReply {
        switch rest {
        case "", "flamegraph2", "flamegraphold":
            return WebServer.redirect(uiPath + "flamegraph" + query.string)
        default:
            guard let view = WebViews.named(String(rest)) else {
                throw WebError(.notFound, "no view \(rest): the views are " + WebViews.all.map(\.name).joined(separator: ", "))
            }
            let options = try URLSettings.apply(query, to: session.options)
            let context = ViewContext(session: session, options: options, query: query, uiPath: uiPath,
                                      viewName: view.name, breadcrumbs: breadcrumbs)
            return try view.render(context)
        }
    }
}

/// `pprof -http`: one session, served at `/ui/`; `/` redirects there.
struct ProfileSite: WebSite {
    let session: PprofSession
    let pages = PageCache()
    /// Views whose page depends only on the session and the URL (the source view reads files that
    /// may change while the server runs, so it is rendered each time).
    static let cachedViews: Set<Substring> = ["flamegraph", "top", "graph", "peek"]

    func respond(path: String, query: WebQuery) async throws(WebError) -> WebReply {
        if path == "/" || path == "/ui" { return WebServer.redirect("/ui/" + query.string) }
        guard path.hasPrefix("/ui/") else { throw WebError(.notFound, "not found: \(path) (the views are under /ui/)") }
        let rest = path.dropFirst(4)
        guard Self.cachedViews.contains(rest) else {
            return try UIRoutes.respond(rest, query: query, session: session, uiPath: "/ui/")
        }
        return try await pages.reply(path + query.string) { () throws(WebError) in
            try UIRoutes.respond(rest, query: query, session: session, uiPath: "/ui/")
        }
    }

    /// Starts rendering the default flame graph, the page a browser opens first.
    func prefetchFirstPage() {
        let session = session
        pages.start("/ui/flamegraph") { () throws(WebError) in
            try UIRoutes.respond("flamegraph", query: WebQuery(""), session: session, uiPath: "/ui/")
        }
    }
}

/// The web server `leakscope pprof -http` hands its profiles to.
public struct PprofWebServer: PprofWebServing {
    public init() {}

    public func serve(_ session: PprofSession, address: String, openBrowser: Bool) async -> Int32 {
        let listen: ListenAddress
        do {
            listen = try ListenAddress(parsing: address)
        } catch {
            WebOutput.error("leakscope: \(error.message)")
            return 2
        }
        let site = ProfileSite(session: session)
        site.prefetchFirstPage()
        return await WebOutput.run(WebServer(site: site, address: listen), openBrowser: openBrowser)
    }
}
