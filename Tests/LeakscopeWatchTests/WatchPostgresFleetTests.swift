import Foundation
import Testing
import LeakscopeTestSupport

/// Several `leakscope watch` processes on one real PostgreSQL database: each target is polled by
/// exactly one of them (the targets themselves count who polled them, by the X-Leakscope-Watcher
/// header each watcher sends), a watcher killed with `kill -9` is replaced within its lease, and
/// `kill -9` loses at most the last interval.
@Suite(.serialized) struct WatchPostgresFleetTests {
    /// A config for watcher `id` on `database` polling `urls`, each request tagged with the watcher's ID.
    static func config(_ id: String, database: String, urls: [String], lease: String = "3s") throws -> URL {
        let dir = try WatchHarness.folder("pgfleet-\(id)")
        let file = dir.appendingPathComponent("watch.yaml")
        let targets = urls.map { "  - {url: \"\($0)\", headers: {X-Leakscope-Watcher: \(id)}}" }.joined(separator: "\n")
        try """
        store: "\(database)"
        listen: 127.0.0.1:0
        interval: 500ms
        shard: {id: \(id), lease: \(lease)}
        capture: {enabled: false}
        targets:
        \(targets)
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Per target URL, requests received per watcher ID (from the target's own `/pollers`).
    static func pollers(_ urls: [String]) async throws -> [String: [String: Int]] {
        var result: [String: [String: Int]] = [:]
        for url in urls {
            let response = try await WatchHarness.get(url + "/pollers")
            result[url] = (try response.json() as? [String: Int]) ?? [:]
        }
        return result
    }

    /// Who polled each target between two `pollers` readings.
    static func pollersBetween(_ before: [String: [String: Int]], _ after: [String: [String: Int]]) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for (url, counts) in after {
            result[url] = Set(counts.filter { $0.value > (before[url]?[$0.key] ?? 0) }.keys)
        }
        return result
    }

    @Test func twoWatchersSplitTheFleetAndOneTakesOverWhenTheOtherIsKilled() async throws {
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        _ = try LeakscopeBinary.path()
        try await ChildSlots.shared.withSlots(for: .all) {
            let (service, urls) = try await WatchHarness.startFleet(fleet, ["-metrics", "-fleet", "16"], listeners: 16)
            defer { service.signal(SIGKILL) }
            let database = try await PostgresHarness.createDatabase("fleet")
            let (a, _) = try await WatchHarness.startWatch(config: try Self.config("A", database: database, urls: urls))
            defer { a.signal(SIGKILL) }
            let (b, _) = try await WatchHarness.startWatch(config: try Self.config("B", database: database, urls: urls))
            defer { b.signal(SIGKILL) }

            // Both hold leases covering the whole fleet.
            _ = try await WatchHarness.waitFor("both watchers to hold leases", seconds: 60) { () -> Bool? in
                let rows = try await PostgresHarness.query(url: database, "SELECT owner, count(*) FROM target_lease GROUP BY owner ORDER BY owner")
                return rows.map { $0[0] } == ["A", "B"] && rows.reduce(0) { $0 + (Int($1[1]) ?? 0) } == 16 ? true : nil
            }
            // Let in-flight polls of the hand-over finish, then watch a window of several intervals.
            await pause(seconds: 2)
            let before = try await Self.pollers(urls)
            await pause(seconds: 4)
            let window = Self.pollersBetween(before, try await Self.pollers(urls))
            for url in urls {
                #expect(window[url]?.count == 1, "\(url) was polled by \(window[url] ?? []) in one window")
            }
            let polledBy = Set(window.values.flatMap { $0 })
            #expect(polledBy == ["A", "B"])
            let leases = try await PostgresHarness.query(url: database, "SELECT target, owner FROM target_lease")
            for row in leases { #expect(window[row[0]] == [row[1]], "lease of \(row[0]) is \(row[1])") }

            // kill -9 A: B polls every target within the lease (3 s) plus a heartbeat and an interval.
            let killedAt = ContinuousClock.now
            a.signal(SIGKILL)
            #expect(await a.exitCode() == 128 + SIGKILL)
            let atKill = try await Self.pollers(urls)
            let takeover = try await WatchHarness.waitFor("B to poll every target", seconds: 60) { () -> Duration? in
                let since = Self.pollersBetween(atKill, try await Self.pollers(urls))
                return urls.allSatisfy({ since[$0]?.contains("B") == true }) ? ContinuousClock.now - killedAt : nil
            }
            // Generous for a loaded runner; the design bound is lease + 1 s heartbeat + one interval.
            #expect(takeover < .seconds(3 + 1 + 0.5 + 6), "takeover took \(takeover)")
            let owners = try await PostgresHarness.query(url: database, "SELECT DISTINCT owner FROM target_lease")
            #expect(owners == [["B"]])
            print("watch postgres: takeover after kill -9 took \(takeover) (lease 3s)")

            b.signal(SIGTERM)
            #expect(await b.exitCode() == 0)
            // A clean stop hands the leases back at once.
            #expect(try await PostgresHarness.query(url: database, "SELECT count(*) FROM target_lease") == [["0"]])
            await PostgresHarness.dropDatabase(database)
        }
    }

    @Test func killNineLosesAtMostOneIntervalAndRestartResumes() async throws {
        let fleet = try await GoFixtures.build("watchfleet", toolchain: .current)
        _ = try LeakscopeBinary.path()
        try await ChildSlots.shared.withSlots(for: .timed) {
            let (service, urls) = try await WatchHarness.startFleet(fleet, ["-metrics"])
            defer { service.signal(SIGKILL) }
            let database = try await PostgresHarness.createDatabase("kill")
            let config = try Self.config("solo", database: database, urls: urls)
            let interval = 0.5

            let (first, api) = try await WatchHarness.startWatch(config: config)
            defer { first.signal(SIGKILL) }
            _ = try await WatchHarness.waitForPoints(api, target: urls[0], atLeast: 10, "ten polls")
            let killedAt = Date().timeIntervalSince1970
            first.signal(SIGKILL)
            #expect(await first.exitCode() == 128 + SIGKILL)
            let rows = try await PostgresHarness.query(url: database, "SELECT count(*), max(time) FROM sample WHERE metric = 'goroutines'")
            let count = Int(rows.first?[0] ?? "") ?? 0
            let latest = Double(rows.first?[1] ?? "") ?? 0
            #expect(count >= 10)
            #expect(killedAt - latest <= interval * 2 + 0.25, "last sample \(killedAt - latest)s before the kill")

            // The same watcher ID restarts: its own unexpired lease is renewed at once, history kept.
            try await WatchHarness.expectRestartResumes(config: config, target: urls[0], after: count)
            await PostgresHarness.dropDatabase(database)
        }
    }

    @Test func badStoreURLsExitTwoWithOneLine() async throws {
        _ = try LeakscopeBinary.path()
        let dir = try WatchHarness.folder("pgbad")
        let port = try WatchHarness.freePort()
        let cases: [(String, String)] = [
            ("postgres://leakscope:leakscope@127.0.0.1:5432", "store: the PostgreSQL URL names no database"),
            ("postgres://leakscope:leakscope@127.0.0.1:\(port)/leakscope?sslmode=disable", "store: cannot reach PostgreSQL at 127.0.0.1:\(port)"),
            ("postgres://leakscope:wrong-password@127.0.0.1:5432/leakscope?sslmode=disable", "store: PostgreSQL at 127.0.0.1:5432/leakscope refused the login"),
        ]
        for (url, expected) in cases {
            let file = dir.appendingPathComponent("bad-\(UUID().uuidString).yaml")
            try "store: \"\(url)\"\ntargets: [http://127.0.0.1:1]\n".write(to: file, atomically: true, encoding: .utf8)
            let result = try await ProcessRunner.run(try LeakscopeBinary.path(), ["watch", "--config", file.path])
            #expect(result.exitCode == 2, "\(url): \(result.stderrText)")
            let lines = result.stderrText.split(separator: "\n")
            #expect(lines.count == 1, "\(url): \(result.stderrText)")
            #expect(result.stderrText.contains(expected), "\(url): \(result.stderrText)")
            #expect(!result.stderrText.contains("wrong-password"))
        }
    }
}
