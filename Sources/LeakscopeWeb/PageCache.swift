import Synchronization

/// Pages of a `pprof -http` session already rendered or being rendered, by request target.
///
/// A session never changes while it is served, so a view's page is a function of its URL: the
/// second request for it is answered from memory, and a request that arrives while the same page
/// is being rendered waits for that rendering instead of starting another. The flame graph (the
/// first page a browser asks for) is started as the server starts, on another thread, so it is
/// rendered while the listener binds. Bounded: the oldest pages are dropped beyond `maxPages` or
/// `maxBytes`.
final class PageCache: Sendable {
    static let maxPages = 16
    static let maxBytes = 64 << 20

    private struct Entry {
        var key: String
        var task: Task<WebReply, any Error>
        /// The body's size once rendered (0 while rendering).
        var bytes: Int
    }

    private let entries = Mutex<[Entry]>([])

    /// Starts rendering `key` unless it is cached or under way; returns its task.
    @discardableResult
    func start(_ key: String, render: @escaping @Sendable () throws(WebError) -> WebReply) -> Task<WebReply, any Error> {
        entries.withLock { entries in
            if let found = entries.firstIndex(where: { $0.key == key }) {
                let entry = entries.remove(at: found)
                entries.append(entry)
                return entry.task
            }
            let task = Task<WebReply, any Error>.detached { () throws -> WebReply in try render() }
            entries.append(Entry(key: key, task: task, bytes: 0))
            Self.trim(&entries)
            return task
        }
    }

    /// The page for `key`: cached, being rendered, or rendered now.
    func reply(_ key: String, render: @escaping @Sendable () throws(WebError) -> WebReply) async throws(WebError) -> WebReply {
        let reply: WebReply
        do {
            reply = try await start(key, render: render).value
        } catch let error as WebError {
            throw error
        } catch {
            throw WebError(.internalServerError, "cannot render \(key): \(error)")
        }
        entries.withLock { entries in
            if let found = entries.firstIndex(where: { $0.key == key }) { entries[found].bytes = reply.body.count }
            Self.trim(&entries)
        }
        return reply
    }

    private static func trim(_ entries: inout [Entry]) {
        while entries.count > maxPages || (entries.count > 1 && entries.reduce(0, { $0 + $1.bytes }) > maxBytes) {
            entries.removeFirst()
        }
    }
}
