import Foundation
import Hummingbird

/// `/api/v1/silences` on the watcher's HTTP server:
///
/// - `GET /api/v1/silences`: `{"silences": [{id, matchers, startsAt, endsAt, comment, createdBy, source, active}]}`
///   (not yet ended; times RFC 3339; `source` is `config` or `api`);
/// - `POST /api/v1/silences` with `{"matchers": {"service": "api"}, "startsAt"?: RFC3339, "endsAt": RFC3339,
///   "comment"?, "createdBy"?}`: `{"id": N}`; stored, so every watcher sharing the store applies it;
/// - `DELETE /api/v1/silences/ID`: ends it now.
enum SilenceRoutes {
    struct Request: Decodable {
        var matchers: [String: String]
        var startsAt: String?
        var endsAt: String
        var comment: String?
        var createdBy: String?
    }

    struct View: Encodable {
        var id: Int64?
        var matchers: [String: String]
        var startsAt: String
        var endsAt: String
        var comment: String
        var createdBy: String
        var source: String
        var active: Bool
    }

    static func add(to router: Router<BasicRequestContext>, watcher: Watcher, store: WatchStore) {
        router.get("/api/v1/silences") { _, _ -> Response in
            let now = Date().timeIntervalSince1970
            let views = await watcher.silenceList().map { silence in
                View(id: silence.id, matchers: silence.matchers, startsAt: Notifier.rfc3339(silence.startsAt),
                     endsAt: Notifier.rfc3339(silence.endsAt), comment: silence.comment, createdBy: silence.createdBy,
                     source: silence.id == nil ? "config" : "api", active: silence.isActive(at: now))
            }
            return WatchServer.json(["silences": views])
        }
        router.post("/api/v1/silences") { request, _ -> Response in
            let body: Request
            do {
                let buffer = try await request.body.collect(upTo: 64 << 10)
                body = try JSONDecoder().decode(Request.self, from: Data(buffer.readableBytesView))
            } catch {
                return WatchServer.problem(.badRequest, "expected {\"matchers\": {LABEL: VALUE}, \"endsAt\": RFC3339, \"startsAt\"?, \"comment\"?}")
            }
            let now = Date().timeIntervalSince1970
            var starts = now
            if let text = body.startsAt {
                guard let time = Silence.parseTime(text) else { return WatchServer.problem(.badRequest, "startsAt: expected RFC 3339") }
                starts = time
            }
            guard let ends = Silence.parseTime(body.endsAt) else { return WatchServer.problem(.badRequest, "endsAt: expected RFC 3339") }
            if let problem = Silence.problem(matchers: body.matchers, startsAt: starts, endsAt: ends) {
                return WatchServer.problem(.badRequest, problem)
            }
            let silence = Silence(matchers: body.matchers, startsAt: starts, endsAt: ends, comment: body.comment ?? "",
                                  createdBy: body.createdBy ?? "")
            do {
                let id = try store.insertSilence(silence)
                await watcher.refreshSilences()
                return WatchServer.json(["id": id])
            } catch {
                return WatchServer.failure(error)
            }
        }
        router.delete("/api/v1/silences/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return WatchServer.problem(.badRequest, "id must be a number")
            }
            do {
                guard try store.expireSilence(id: id, at: Date().timeIntervalSince1970) else {
                    return WatchServer.problem(.notFound, "no silence \(id)")
                }
                await watcher.refreshSilences()
                return WatchServer.json(["id": id])
            } catch {
                return WatchServer.failure(error)
            }
        }
    }
}
