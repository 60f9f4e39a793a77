import Foundation
import Hummingbird
import LeakscopeBytes
import LeakscopeWeb

/// The watcher's web pages, on the same server and behind the same token as the API:
///
/// | path | page |
/// |---|---|
/// | `/` | the fleet (`?label=KEY=VALUE`) |
/// | `/target?url=URL` | a target's history (`&range=1h` or `&from=…&to=…`) |
/// | `/alerts`, `/alerts/ID` | alerts (`?state=firing`), one alert |
/// | `/captures`, `/captures/ID` | captures, one capture |
/// | `/captures/ID/files/…` | `leakscope serve`'s pages for the capture: `r/0` the diagnose report, `p/N/ui/…` the profile views |
/// | `/healthz`, `/readyz` | liveness (the server answers) and readiness (the store answers) |
///
/// Pages read through the store's read API (the one `/api/v1/*` uses) and the watcher's live state.
enum WatchUI {
    static func addRoutes(to router: Router<BasicRequestContext>, watcher: Watcher, store: WatchStore) {
        let sites = CaptureSites()
        router.get("/") { request, _ -> Response in
            let rows = await watcher.fleetRows(points: FleetPage.sparkPoints)
            let labels = request.uri.queryParameters.getAll("label").map { String($0) }
            return html(FleetPage.render(rows: rows, labelFilters: labels, firing: await watcher.firingCount(), now: now()))
        }
        router.get("/target") { request, _ -> Response in
            let query = request.uri.queryParameters
            guard let url = query.get("url"), !url.isEmpty else { return page(.badRequest, "give url=TARGET (see the fleet page)") }
            let views = await watcher.targetViews()
            do {
                let stored = try store.targets().first { $0.url == url }
                let view = views.first { $0.url == url }
                guard view != nil || stored != nil else { return page(.notFound, "no target \(url)") }
                let now = now()
                guard let range = TargetPage.range(range: query.get("range"), from: query.get("from"), to: query.get("to"),
                                                   now: now, earliest: stored?.firstSeen) else {
                    return page(.badRequest, "range: one of 5m, 15m, 1h, 6h, 24h, 7d, all; or from/to as seconds since 1970 or RFC 3339, from before to")
                }
                let inputs = TargetPage.Inputs(
                    url: url, view: view, stored: stored,
                    goroutines: try store.series(target: url, metric: "goroutines", from: range.from, to: range.to),
                    heap: try store.series(target: url, metric: "heap_inuse_bytes", from: range.from, to: range.to),
                    from: range.from, to: range.to, rangeName: range.name,
                    alerts: try store.alerts().filter { $0.target == url },
                    captures: try store.captures().filter { $0.target == url },
                    firing: await watcher.firingCount(), now: now)
                return html(TargetPage.render(inputs))
            } catch {
                return page(.internalServerError, WatchStore.reason(error))
            }
        }
        router.get("/alerts") { request, _ -> Response in
            let state = request.uri.queryParameters.get("state")
            guard state == nil || state == "firing" || state == "resolved" else { return page(.badRequest, "state: firing or resolved") }
            do {
                return html(AlertsPage.render(try store.alerts(), captures: try store.captures(), state: state,
                                              firing: await watcher.firingCount(), now: now()))
            } catch {
                return page(.internalServerError, WatchStore.reason(error))
            }
        }
        router.get("/alerts/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else { return page(.badRequest, "an alert's id is a number") }
            do {
                guard let alert = try store.alerts(limit: 100_000).first(where: { $0.id == id }) else { return page(.notFound, "no alert \(id)") }
                let capture = try alert.captureID.flatMap { captureID in try store.captures(limit: 100_000).first { $0.id == captureID } }
                return html(AlertsPage.detail(alert, capture: capture, firing: await watcher.firingCount(), now: now()))
            } catch {
                return page(.internalServerError, WatchStore.reason(error))
            }
        }
        router.get("/captures") { _, _ -> Response in
            do {
                return html(CapturesPage.render(try store.captures(), firing: await watcher.firingCount()))
            } catch {
                return page(.internalServerError, WatchStore.reason(error))
            }
        }
        router.get("/captures/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else { return page(.badRequest, "a capture's id is a number") }
            do {
                guard let capture = try store.captures(limit: 100_000).first(where: { $0.id == id }) else { return page(.notFound, "no capture \(id)") }
                return html(CapturesPage.detail(capture, firing: await watcher.firingCount()))
            } catch {
                return page(.internalServerError, WatchStore.reason(error))
            }
        }
        let files: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            guard let id = context.parameters.get("id", as: Int64.self) else { return page(.badRequest, "a capture's id is a number") }
            let path = request.uri.path
            if path == "/captures/\(id)/files" { return redirect("/captures/\(id)/files/") }
            let capture: CaptureRecord
            do {
                guard let found = try store.captures(limit: 100_000).first(where: { $0.id == id }) else { return page(.notFound, "no capture \(id)") }
                capture = found
            } catch {
                return page(.internalServerError, WatchStore.reason(error))
            }
            guard capture.status != "running" else { return page(.conflict, "capture \(id) is still being taken; try again in a few seconds") }
            let site: MountedCaptureSite
            do {
                site = try await sites.site(capture)
            } catch {
                return page(.internalServerError, "capture \(id): \((error as? OneLineError)?.message ?? "\(error)")")
            }
            let answer = await site.answer(path: path, rawQuery: request.uri.query ?? "")
            var headers: HTTPFields = [.contentType: answer.contentType, .cacheControl: "no-store"]
            if let location = answer.location { headers[.location] = location }
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        router.get("/captures/:id/files", use: files)
        router.get("/captures/:id/files/**", use: files)
        router.get("/favicon.ico") { _, _ -> Response in
            // No icon: an empty answer, so the browser logs no failed load.
            Response(status: .noContent, headers: [.contentType: "image/x-icon"])
        }
        router.get("/healthz") { _, _ -> Response in
            text("ok\n")
        }
        router.get("/readyz") { _, _ -> Response in
            do {
                _ = try store.alerts(limit: 1)
                return text("ready\n")
            } catch {
                return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "store: \(WatchStore.reason(error))\n")))
            }
        }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    static func html(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A refusal as a page in the watch layout: the status and one line.
    static func page(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = "<h1>\(status.code) \(WatchPage.escape(status.reasonPhrase))</h1><p class=\"error-text\" id=\"error\">\(WatchPage.escape(message))</p>\n"
        return html(WatchPage.render(title: "leakscope watch: \(status.code)", current: nil, firing: 0, body: body), status: status)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location])
    }
}

/// Capture sites already read, so opening a second view of a capture does not parse its
/// directory again. Bounded: the four most recently used.
actor CaptureSites {
    static let limit = 4
    private var sites: [(id: Int64, site: MountedCaptureSite)] = []

    func site(_ capture: CaptureRecord) throws(OneLineError) -> MountedCaptureSite {
        let id = capture.id ?? 0
        if let index = sites.firstIndex(where: { $0.id == id }) {
            let entry = sites.remove(at: index)
            sites.append(entry)
            return entry.site
        }
        let site = try MountedCaptureSite(directory: capture.directory, mountPath: "/captures/\(id)/files",
                                          home: [("watch", "/"), ("capture \(id)", "/captures/\(id)")])
        sites.append((id, site))
        if sites.count > Self.limit { sites.removeFirst() }
        return site
    }
}
