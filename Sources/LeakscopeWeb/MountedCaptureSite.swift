import LeakscopeBytes

/// `serve`'s pages for one capture directory, answered under a path of another server: the
/// watcher mounts each capture at `/captures/ID/files/`, so its diagnose report (`…/r/0`) and its
/// profile views (`…/p/N/ui/flamegraph`, comparisons under `…/c/`) are the same pages as
/// `leakscope serve DIR` shows, with every link under the mount path. The host server does the
/// routing to here and the authentication; this answers GETs only.
public struct MountedCaptureSite: Sendable {
    let site: CaptureSite

    /// Reads `directory` as `serve` does. `mountPath` is where the site's `/` is (no trailing
    /// slash); `home` are links shown first in every page's bar.
    public init(directory: String, mountPath: String, home: [(title: String, href: String)]) throws(OneLineError) {
        site = try CaptureSite(arguments: [directory], mountPath: mountPath, home: home)
    }

    /// What the site answers for a request: status code, content type, a redirect target, bytes.
    public struct Answer: Sendable {
        public var status: Int
        public var contentType: String
        public var location: String?
        public var body: [UInt8]
    }

    /// Answers `path` (the full request path, starting with the mount path) and its raw query.
    public func answer(path: String, rawQuery: String) async -> Answer {
        guard path.hasPrefix(site.mountPath) else {
            return refusal(WebError(.notFound, "not found: \(path)"))
        }
        var rest = String(path.dropFirst(site.mountPath.count))
        if rest.isEmpty { rest = "/" }
        do {
            let reply = try await site.respond(path: rest, query: WebQuery(rawQuery))
            let location = reply.headers.first { $0.0 == .location }?.1
            return Answer(status: reply.status.code, contentType: reply.contentType, location: location, body: reply.body)
        } catch {
            return refusal(error)
        }
    }

    private func refusal(_ error: WebError) -> Answer {
        let body = PageShell.page(title: "leakscope: \(error.status.code)", header: "",
                                  body: "<div class=\"error\" id=\"error\">\(PageShell.escape(error.message))</div>\n")
        return Answer(status: error.status.code, contentType: "text/html; charset=utf-8", location: nil, body: body)
    }
}
