import Foundation
import Hummingbird
import Logging
import LeakscopeWatchRules
import LeakscopeFindings

/// The watcher's HTTP side on `listen`: Prometheus `/metrics` and the JSON API under `/api/v1/`
/// (docs/WATCH.md and docs/watch-openapi.yaml describe every path).
enum WatchServer {
    /// Builds the application; `onListening` gets the bound port (useful with port 0).
    static func application(watcher: Watcher, store: WatchStore, listen: WatchConfig.Listen, token: String?,
                            onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        if let token { router.add(middleware: BearerToken(token: token)) }
        router.get("/metrics") { _, _ -> Response in
            let text = await watcher.metricsText()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/api/v1/targets") { _, _ -> Response in
            json(["targets": await watcher.targetViews()])
        }
        router.get("/api/v1/alerts") { _, _ -> Response in
            do { return json(["alerts": try store.alerts()]) } catch { return failure(error) }
        }
        router.get("/api/v1/alerts/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else { return problem(.badRequest, "id must be a number") }
            do {
                guard let alert = try store.alerts(limit: 100_000).first(where: { $0.id == id }) else {
                    return problem(.notFound, "no alert \(id)")
                }
                return json(alert)
            } catch { return failure(error) }
        }
        router.get("/api/v1/captures") { _, _ -> Response in
            do { return json(["captures": try store.captures().map(CaptureView.init)]) } catch { return failure(error) }
        }
        router.get("/api/v1/captures/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else { return problem(.badRequest, "id must be a number") }
            do {
                guard let capture = try store.captures(limit: 100_000).first(where: { $0.id == id }) else {
                    return problem(.notFound, "no capture \(id)")
                }
                return json(CaptureView(capture))
            } catch { return failure(error) }
        }
        router.get("/api/v1/series") { request, _ -> Response in
            let query = request.uri.queryParameters
            guard let target = query.get("target"), let metric = query.get("metric") else {
                return problem(.badRequest, "give target=URL and metric=NAME (goroutines, heap_inuse_bytes, …)")
            }
            var from = 0.0, to = Double.greatestFiniteMagnitude
            if let text = query.get("from") {
                guard let date = parseTime(text) else { return problem(.badRequest, "from: expected RFC 3339, such as 2026-12-03T08:00:00Z") }
                from = date
            }
            if let text = query.get("to") {
                guard let date = parseTime(text) else { return problem(.badRequest, "to: expected RFC 3339, such as 2026-12-03T09:00:00Z") }
                to = date
            }
            do {
                let points = try store.series(target: target, metric: metric, from: from, to: to)
                return json(SeriesView(target: target, metric: metric,
                                       points: points.map { .init(time: Notifier.rfc3339($0.time), value: $0.value) }))
            } catch { return failure(error) }
        }
        WatchUI.addRoutes(to: router, watcher: watcher, store: store)
        var logger = Logger(label: "leakscope-watch")
        // Cancellation at shutdown is logged as an error by the server; real failures are thrown.
        logger.logLevel = .critical
        return Application(
            router: router, configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "leakscope"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? listen.port) }, logger: logger)
    }

    /// Refuses requests without the token (compared in constant time): `Authorization: Bearer TOKEN`
    /// for programs, or the `leakscope_watch_token` cookie for a browser, set by opening any page
    /// once with `?token=TOKEN` (answered with a redirect to the same page without it). `/healthz`
    /// and `/readyz` answer without it, so probes need no secret; they say nothing about targets.
    struct BearerToken<Context: RequestContext>: RouterMiddleware {
        let token: String
        static var cookie: String { "leakscope_watch_token" }

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            let path = request.uri.path
            if path == "/healthz" || path == "/readyz" { return try await next(request, context) }
            if let given = request.uri.queryParameters.get("token") {
                guard Self.same(given, token) else { return problem(.unauthorized, "wrong token") }
                var query = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("token=") }.joined(separator: "&")
                if !query.isEmpty { query = "?" + query }
                return Response(status: .seeOther, headers: [
                    .location: path + query,
                    .setCookie: "\(Self.cookie)=\(token); Path=/; HttpOnly; SameSite=Strict",
                ])
            }
            let header = request.headers[.authorization] ?? ""
            if header.hasPrefix("Bearer "), Self.same(String(header.dropFirst(7)), token) { return try await next(request, context) }
            for cookie in request.headers[values: .cookie] {
                for part in cookie.split(separator: ";") {
                    let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                    if pair.count == 2, pair[0] == Self.cookie, Self.same(String(pair[1]), token) { return try await next(request, context) }
                }
            }
            return problem(.unauthorized, "missing or wrong bearer token (a browser: open the page once with ?token=TOKEN)")
        }

        /// Compares without stopping at the first difference.
        static func same(_ given: String, _ expected: String) -> Bool {
            let a = Array(given.utf8), b = Array(expected.utf8)
            var difference = a.count ^ b.count
            for i in 0..<b.count { difference |= Int(b[i] ^ (i < a.count ? a[i] : 0)) }
            return difference == 0
        }
    }

    struct CaptureView: Codable {
        var id: Int64?
        var target: String
        var alertID: Int64?
        var time: String
        var directory: String
        var status: String
        var findings: [Finding]?
        var error: String?
        init(_ record: CaptureRecord) {
            id = record.id
            target = record.target
            alertID = record.alertID
            time = Notifier.rfc3339(record.time)
            directory = record.directory
            status = record.status
            findings = record.findings.flatMap { try? JSONDecoder().decode([Finding].self, from: Data($0.utf8)) }
            error = record.error
        }
    }

    struct SeriesView: Codable {
        var target: String
        var metric: String
        var points: [PointView]
        struct PointView: Codable {
            var time: String
            var value: Double
        }
    }

    static func parseTime(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    static func json<T: Encodable>(_ value: T) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func failure(_ error: any Error) -> Response {
        problem(.internalServerError, WatchStore.reason(error))
    }
}

