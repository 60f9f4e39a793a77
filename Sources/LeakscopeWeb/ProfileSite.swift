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

    func respond(path: String, query: WebQuery) async throws(WebError) -> WebReply {
        if path == "/" || path == "/ui" { return WebServer.redirect("/ui/" + query.string) }
        guard path.hasPrefix("/ui/") else { throw WebError(.notFound, "not found: \(path) (the views are under /ui/)") }
        return try UIRoutes.respond(path.dropFirst(4), query: query, session: session, uiPath: "/ui/")
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
        return await WebOutput.run(WebServer(site: ProfileSite(session: session), address: listen),
                                   openBrowser: openBrowser)
    }
}
