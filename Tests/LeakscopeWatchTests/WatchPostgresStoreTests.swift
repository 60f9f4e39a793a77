import Foundation
import Testing
@testable import LeakscopeWatch
import LeakscopeWatchRules
import LeakscopeTestSupport

/// The PostgreSQL store against a real server, with the SQLite store as its oracle: the same writes
/// must read back the same from both. Also migrations from an empty database, retention,
/// downsampling, the shard lease table, and one-line errors for bad URLs, dead servers and bad logins.
@Suite(.serialized) struct WatchPostgresStoreTests {
    /// Runs `body` against a fresh SQLite store and a fresh PostgreSQL database.
    func withBothStores(_ name: String, _ body: (WatchStore) throws -> Void) async throws {
        let dir = try WatchHarness.folder("pgstore-\(name)")
        let sqlite = try WatchStore(path: dir.appendingPathComponent("watch.db").path)
        try body(sqlite)
        sqlite.close()
        let url = try await PostgresHarness.createDatabase(name)
        let postgres = try WatchStore(postgres: try PostgresDSN(url))
        do {
            try body(postgres)
        } catch {
            postgres.close()
            await PostgresHarness.dropDatabase(url)
            throw error
        }
        postgres.close()
        await PostgresHarness.dropDatabase(url)
    }

    static func poll(_ target: String, time: Double, goroutines: Double, up: Bool = true, owner: String? = nil) -> WatchStore.PollRecord {
        WatchStore.PollRecord(target: target, labels: ["service": "api", "zone": "b"], time: time, up: up,
                              error: up ? nil : "connection refused",
                              samples: up ? [("goroutines", goroutines), ("heap_inuse_bytes", goroutines * 4096)] : [],
                              owner: owner)
    }

    /// Everything the API reads, as one comparable value (IDs and times included).
    struct Snapshot: Equatable {
        var targets: [TargetRecord]
        var alerts: [AlertRecord]
        var firing: [AlertRecord]
        var captures: [CaptureRecord]
        var series: [Point]
        var window: [Point]
        var first: [Point]
        var states: [String: RuleState]
        var count: Int
        init(_ store: WatchStore) throws {
            targets = try store.targets()
            alerts = try store.alerts()
            firing = try store.firingAlerts()
            captures = try store.captures()
            series = try store.series(target: "http://a:6060", metric: "goroutines")
            window = try store.series(target: "http://a:6060", metric: "goroutines", from: 1_000_010, to: 1_000_030, limit: 2)
            first = try store.firstPoints(target: "http://a:6060", metric: "heap_inuse_bytes", limit: 3)
            states = try store.ruleStates()
            count = try store.sampleCount()
        }
    }

    @Test func roundTripMatchesTheSQLiteStore() async throws {
        var snapshots: [Snapshot] = []
        try await withBothStores("roundtrip") { store in
            var polls: [WatchStore.PollRecord] = []
            for i in 0..<40 {
                polls.append(Self.poll("http://a:6060", time: 1_000_000 + Double(i), goroutines: 10 + Double(i * i)))
                polls.append(Self.poll("http://b:6060", time: 1_000_000 + Double(i) + 0.5, goroutines: 7, up: i % 10 != 3))
            }
            var state = RuleState()
            state.phase = .firing
            state.streak = 4
            state.since = 1_000_020
            // Two flushes; the second repeats a target (the upsert keeps the latest poll).
            try store.write(Array(polls[..<30]), states: [("http://a:6060", "GoroutineLeak\u{0}goroutines", state)])
            try store.write(Array(polls[30...]), states: [("http://b:6060", "HeapGrowth\u{0}heap_inuse_bytes", RuleState())])
            var alert = AlertRecord(id: nil, target: "http://a:6060", rule: "GoroutineLeak", metric: "goroutines",
                                    severity: "critical", state: "firing", startsAt: 1_000_021, endsAt: nil,
                                    summary: "goroutines 1,534, +15 %/min")
            alert.id = try store.insertAlert(alert)
            var capture = CaptureRecord(id: nil, target: "http://a:6060", alertID: alert.id, time: 1_000_022,
                                        directory: "/tmp/c1", status: "running")
            capture.id = try store.insertCapture(capture)
            capture.status = "diagnosed"
            capture.findings = #"[{"kind":"goroutine-leak"}]"#
            try store.updateCapture(capture)
            alert.function = "main.sendResult"
            alert.location = "main.go:42"
            alert.hint = "receive or close"
            alert.findingTitle = "1,500 goroutines blocked in chan send"
            alert.captureID = capture.id
            try store.updateAlert(alert)
            let resolved = AlertRecord(id: nil, target: "http://b:6060", rule: "HeapGrowth", metric: "heap_inuse_bytes",
                                       severity: "warning", state: "resolved", startsAt: 1_000_001, endsAt: 1_000_009,
                                       summary: "heap \"quoted\" ünïcode")
            _ = try store.insertAlert(resolved)
            snapshots.append(try Snapshot(store))
        }
        #expect(snapshots.count == 2)
        let (sqlite, postgres) = (snapshots[0], snapshots[1])
        #expect(postgres.targets.map(\.url) == ["http://a:6060", "http://b:6060"])
        #expect(postgres.series.count == 40)
        #expect(postgres.window.map(\.time) == [1_000_029, 1_000_030])
        #expect(postgres.alerts.count == 2 && postgres.firing.count == 1 && postgres.firing.first?.function == "main.sendResult")
        #expect(postgres.states["http://a:6060\u{0}GoroutineLeak\u{0}goroutines"]?.phase == .firing)
        #expect(postgres.count == 40 * 2 + 36 * 2)
        #expect(postgres == sqlite)
    }

    @Test func migrationsFromEmptyAreRecordedAndIdempotent() async throws {
        try await ChildSlots.shared.withSlots(for: .one) {
            let url = try await PostgresHarness.createDatabase("migrate")
            defer { Task { await PostgresHarness.dropDatabase(url) } }
            #expect(try await PostgresHarness.query(url: url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [["0"]])
            // Two watchers starting at once: the advisory lock makes one migrate and the other wait.
            let dsn = try PostgresDSN(url)
            async let first = Task.detached { try WatchStore(postgres: dsn) }.value
            async let second = Task.detached { try WatchStore(postgres: dsn) }.value
            let stores = try await [first, second]
            let names = try await PostgresHarness.query(url: url, "SELECT name FROM leakscope_migration ORDER BY name")
            #expect(names == PostgresBackend.migrations.map { [$0.name] })
            let tables = try await PostgresHarness.query(url: url, """
                SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
                """).map { $0[0] }
            #expect(tables == ["alert", "capture", "leakscope_migration", "rule_state", "sample", "silence", "target", "target_lease", "watcher"])
            for store in stores { store.close() }
            // Reopening applies nothing twice.
            let again = try WatchStore(postgres: dsn)
            try again.write([Self.poll("http://a:6060", time: 1, goroutines: 3)], states: [])
            #expect(try again.sampleCount() == 2)
            again.close()
            #expect(try await PostgresHarness.query(url: url, "SELECT count(*) FROM leakscope_migration") == [["\(PostgresBackend.migrations.count)"]])
        }
    }

    @Test func retentionAndDownsamplingMatchTheSQLiteStore() async throws {
        var results: [[[Point]]] = []
        try await withBothStores("retention") { store in
            // Ten minutes of 1 s samples starting at a 5 min boundary, then one fresh sample.
            let start = 1_800_000.0
            var polls: [WatchStore.PollRecord] = []
            for i in 0..<600 { polls.append(Self.poll("http://a:6060", time: start + Double(i), goroutines: Double(i))) }
            try store.write(polls, states: [])
            _ = try store.insertAlert(AlertRecord(id: nil, target: "http://a:6060", rule: "R", metric: "goroutines", severity: "info",
                                              state: "resolved", startsAt: start, endsAt: start + 10, summary: "old"))
            _ = try store.insertAlert(AlertRecord(id: nil, target: "http://a:6060", rule: "R", metric: "goroutines", severity: "info",
                                              state: "firing", startsAt: start, endsAt: nil, summary: "still firing"))
            // Fold everything older than start + 7.5 min (rounded down to start + 5 min) into 5 min means.
            let folded = try store.downsample(before: start + 450, step: 300)
            #expect(folded == 300 * 2)
            let afterFold = try store.series(target: "http://a:6060", metric: "goroutines")
            // Folding again changes nothing: the bucket is already coarse.
            #expect(try store.downsample(before: start + 450, step: 300) == 0)
            // Retention: drop what is older than start + 400 s; the firing alert stays.
            try store.prune(before: start + 400)
            let afterPrune = try store.series(target: "http://a:6060", metric: "goroutines")
            #expect(try store.alerts().map(\.summary) == ["still firing"])
            results.append([afterFold, afterPrune])
        }
        #expect(results.count == 2)
        let fold = results[1][0]
        #expect(fold.count == 1 + 300)
        #expect(fold.first == Point(time: 1_800_000, value: 149.5))
        #expect(fold[1] == Point(time: 1_800_300, value: 300))
        #expect(results[1][1].first == Point(time: 1_800_400, value: 400))
        #expect(results[1][1].count == 200)
        #expect(results[0] == results[1])
    }

    @Test func shardLeasesGoToOneWatcherAndExpire() async throws {
        try await ChildSlots.shared.withSlots(for: .one) {
            let url = try await PostgresHarness.createDatabase("lease")
            defer { Task { await PostgresHarness.dropDatabase(url) } }
            let store = try WatchStore(postgres: try PostgresDSN(url))
            defer { store.close() }
            let targets = (0..<32).map { "http://10.0.0.\($0):6060" }
            func claim(_ id: String, lease: Double = 60) throws -> ShardGrant {
                try store.backend.claimShard(ShardRequest(watcher: id, targets: targets, lease: lease, listen: ""))
            }
            // Alone, A takes everything.
            #expect(try claim("A").owned.count == 32)
            // B joins: it sees two members but A still holds the leases, so B gets nothing yet.
            let joining = try claim("B")
            #expect(joining.members == ["A", "B"] && joining.owned.isEmpty)
            // A's next heartbeat releases B's share; B's next claims it. No target is held twice.
            let a = try claim("A").owned
            let b = try claim("B").owned
            #expect(a.isDisjoint(with: b) && a.union(b) == Set(targets))
            #expect(a == Set(targets.filter { Rendezvous.owner(of: $0, among: ["A", "B"]) == "A" }))
            #expect(!a.isEmpty && !b.isEmpty)
            // A stops cleanly: B takes everything at its next heartbeat.
            try store.leaveShard(watcher: "A")
            #expect(try claim("B").owned.count == 32)
            // B dies (no more heartbeats); C with a 1 s lease takes over once B's lease has expired.
            try await PostgresHarness.query(url: url, "UPDATE watcher SET heartbeat = heartbeat - 120; UPDATE target_lease SET expires = expires - 120")
            let c = try claim("C", lease: 1)
            #expect(c.members == ["C"] && c.owned.count == 32)
            let owners = try await PostgresHarness.query(url: url, "SELECT DISTINCT owner FROM target_lease")
            #expect(owners == [["C"]])
        }
    }

    @Test func openErrorsAreOneLineNamingTheStoreField() async throws {
        try await ChildSlots.shared.withSlots(for: .one) {
            func failure(_ url: String) -> ConfigError? {
                do {
                    let store = try WatchStore(postgres: try PostgresDSN(url, environment: [:]))
                    store.close()
                    return nil
                } catch {
                    return error
                }
            }
            let cases: [(String, String)] = [
                ("postgres://leakscope@127.0.0.1:5432", "names no database"),
                ("postgres://127.0.0.1/leakscope", "has no user"),
                ("postgres://leakscope:leakscope@127.0.0.1/leakscope?sslmode=maybe", "sslmode must be"),
                ("postgres://leakscope:leakscope@127.0.0.1:\(try WatchHarness.freePort())/leakscope?sslmode=disable",
                 "cannot reach PostgreSQL at 127.0.0.1"),
                ("postgres://leakscope:not-the-password@127.0.0.1:5432/leakscope?sslmode=disable", "refused the login of user 'leakscope'"),
                ("postgres://leakscope:leakscope@127.0.0.1:5432/no_such_db_here?sslmode=disable", "has no database 'no_such_db_here'"),
            ]
            for (url, expected) in cases {
                let error = failure(url)
                #expect(error?.field == "store", "\(url)")
                #expect(error?.message.contains(expected) == true, "\(url): \(error?.message ?? "opened")")
                #expect(error?.description.contains("\n") == false)
                #expect(error?.description.contains("not-the-password") == false)
            }
        }
    }
}

