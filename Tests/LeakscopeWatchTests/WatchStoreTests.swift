import Foundation
import GRDB
import Testing
import LeakscopeTestSupport

/// The SQLite store survives `kill -9` of the watcher, losing at most the last interval, and a
/// restart on the same database resumes the history.
@Suite(.serialized) struct WatchStoreTests {
    @Test func killNineLosesAtMostOneIntervalAndRestartResumes() async throws {
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        _ = try LeakscopeBinary.path()
        try await ChildSlots.shared.withSlots(for: .timed) {
            let (service, urls) = try await WatchHarness.startFleet(fleet, ["-metrics"])
            defer { service.signal(SIGKILL) }
            let dir = try WatchHarness.folder("watch-kill")
            let database = dir.appendingPathComponent("watch.db").path
            let interval = 0.5
            let config = try WatchHarness.config(in: dir, """
            interval: 500ms
            targets: [\(urls[0])]
            """)

            let (first, api) = try await WatchHarness.startWatch(config: config)
            _ = try await WatchHarness.waitForPoints(api, target: urls[0], atLeast: 10, "ten polls")
            // What the API served just before the kill was already on disk or within one interval of it.
            let killedAt = Date().timeIntervalSince1970
            first.signal(SIGKILL)
            #expect(await first.exitCode() == 128 + SIGKILL)

            let queue = try DatabaseQueue(path: database)
            let (count, latest) = try await queue.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample WHERE metric = 'goroutines'") ?? 0,
                 try Double.fetchOne(db, sql: "SELECT MAX(time) FROM sample") ?? 0)
            }
            #expect(count >= 10)
            // At most one interval (plus one poll's flight time) is lost.
            #expect(killedAt - latest <= interval * 2 + 0.25, "last sample \(killedAt - latest)s before the kill")
            try queue.close()

            // A restart on the same database keeps the history and appends to it.
            try await WatchHarness.expectRestartResumes(config: config, target: urls[0], after: count)
        }
    }
}
