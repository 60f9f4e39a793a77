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
        SilenceRoutes.add(to: router, watcher: watcher, store: store)
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
        router.get("/") { _, _ -> Response in
            let text = "leakscope watch\n\n/metrics\n/api/v1/targets\n/api/v1/alerts\n/api/v1/captures\n/api/v1/series?target=URL&metric=goroutines\n"
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        var logger = Logger(label: "leakscope-watch")
        // Cancellation at shutdown is logged as an error by the server; real failures are thrown.
        logger.logLevel = .critical
        return Application(
            router: router, configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "leakscope"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? listen.port) }, logger: logger)
    }

    /// Refuses requests without `Authorization: Bearer TOKEN` (compared in constant time).
    struct BearerToken<Context: RequestContext>: RouterMiddleware {
        let token: String
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            let given = Array((request.headers[.authorization] ?? "").utf8)
            let expected = Array("Bearer \(token)".utf8)
            var difference = given.count ^ expected.count
            for i in 0..<expected.count { difference |= Int(expected[i] ^ (i < given.count ? given[i] : 0)) }
            guard difference == 0 else { return problem(.unauthorized, "missing or wrong bearer token") }
            return try await next(request, context)
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

