import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import LeakscopeWatchRules

/// The fleet store: PostgreSQL, shared by several watchers that each own a shard of the targets
/// (see `ShardRequest`). Same tables and meaning as the SQLite store, in snake_case; times are
/// seconds since 1970 (`double precision`), like SQLite's. Writes go through one connection,
/// reads through another, so the API never waits behind a flush.
final class PostgresBackend: StoreBackend {
    let dsn: PostgresDSN
    let group: MultiThreadedEventLoopGroup
    let writer: PostgresLink
    let reader: PostgresLink
    private let closed = NIOLockedValueBox(false)

    init(dsn: PostgresDSN) throws(ConfigError) {
        self.dsn = dsn
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch dsn.tls {
            case .disable:
                tls = .disable
            case .prefer, .require:
                // libpq's prefer/require encrypt but do not check the certificate.
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.certificateVerification = .none
                let context = try NIOSSLContext(configuration: settings)
                tls = dsn.tls == .prefer ? .prefer(context) : .require(context)
            case .verifyFull:
                var settings = TLSConfiguration.makeClientConfiguration()
                if let root = dsn.rootCertificate { settings.trustRoots = .file(root) }
                tls = .require(try NIOSSLContext(configuration: settings))
            }
        } catch {
            throw ConfigError(file: "config", line: nil, field: "store", "cannot set up TLS for PostgreSQL: \(error)")
        }
        var configuration = PostgresConnection.Configuration(host: dsn.host, port: dsn.port, username: dsn.user,
                                                             password: dsn.password, database: dsn.database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        writer = PostgresLink(configuration: configuration, eventLoop: group.next())
        reader = PostgresLink(configuration: configuration, eventLoop: group.next())
        do {
            try migrate()
        } catch {
            close()
            throw ConfigError(file: "config", line: nil, field: "store", Self.openFailure(error, dsn: dsn))
        }
    }

    var isShared: Bool { true }

    // postgres-nio requires connections to be closed before they are released.
    deinit { close() }

    func close() {
        guard closed.withLockedValue({ was in defer { was = true }; return !was }) else { return }
        writer.close()
        reader.close()
        try? group.syncShutdownGracefully()
    }

    // MARK: Migrations

    /// Numbered, append-only. Applied in one transaction under an advisory lock, so watchers starting
    /// together neither race nor see half a schema.
    static let migrations: [(name: String, sql: [String])] = [
        ("v1", [
            """
            CREATE TABLE target (url text PRIMARY KEY, labels text NOT NULL DEFAULT '{}', first_seen double precision,
              last_poll double precision, up boolean NOT NULL DEFAULT false, last_error text)
            """,
            """
            CREATE TABLE sample (target text NOT NULL, metric text NOT NULL, time double precision NOT NULL,
              value double precision NOT NULL)
            """,
            "CREATE INDEX sample_by_series ON sample (target, metric, time)",
            "CREATE INDEX sample_by_time ON sample (time)",
            """
            CREATE TABLE alert (id bigserial PRIMARY KEY, target text NOT NULL, rule text NOT NULL, metric text NOT NULL,
              severity text NOT NULL, state text NOT NULL, starts_at double precision NOT NULL, ends_at double precision,
              summary text NOT NULL, function text, location text, hint text, finding_title text, capture_id bigint)
            """,
            """
            CREATE TABLE capture (id bigserial PRIMARY KEY, target text NOT NULL, alert_id bigint, time double precision NOT NULL,
              directory text NOT NULL, status text NOT NULL, findings text, error text)
            """,
            "CREATE TABLE rule_state (target text NOT NULL, rule text NOT NULL, state text NOT NULL, PRIMARY KEY (target, rule))",
        ]),
        // v2: downsampling (bucket width per sample, 0 = raw) and shards (heartbeats, target leases, owners).
        ("v2", [
            "ALTER TABLE sample ADD COLUMN step double precision NOT NULL DEFAULT 0",
            "ALTER TABLE target ADD COLUMN owner text",
            """
            CREATE TABLE watcher (id text PRIMARY KEY, heartbeat double precision NOT NULL, started double precision NOT NULL,
              listen text NOT NULL DEFAULT '')
            """,
            "CREATE TABLE target_lease (target text PRIMARY KEY, owner text NOT NULL, expires double precision NOT NULL)",
            "CREATE INDEX target_lease_by_owner ON target_lease (owner)",
        ]),
        // v3: silences (from the API, shared by every watcher) and alerts that fired under one.
        ("v3", [
            """
            CREATE TABLE silence (id bigserial PRIMARY KEY, matchers text NOT NULL, starts_at double precision NOT NULL,
              ends_at double precision NOT NULL, comment text NOT NULL DEFAULT '', created_by text NOT NULL DEFAULT '')
            """,
            "ALTER TABLE alert ADD COLUMN silenced boolean NOT NULL DEFAULT false",
        ]),
    ]

    func migrate() throws {
        try writer.transaction { connection in
            // One lock ID for leakscope's schema: concurrent starts wait here for each other.
            _ = try writer.query(connection, "SELECT pg_advisory_xact_lock(7606434101)")
            _ = try writer.query(connection, """
                CREATE TABLE IF NOT EXISTS leakscope_migration (name text PRIMARY KEY, applied double precision NOT NULL)
                """)
            var applied: Set<String> = []
            for row in try writer.query(connection, "SELECT name FROM leakscope_migration") {
                applied.insert(try row.decode(String.self))
            }
            for migration in Self.migrations where !applied.contains(migration.name) {
                for statement in migration.sql { _ = try writer.query(connection, PostgresQuery(unsafeSQL: statement)) }
                _ = try writer.query(connection, """
                    INSERT INTO leakscope_migration (name, applied) VALUES (\(migration.name), \(Date().timeIntervalSince1970))
                    """)
            }
        }
    }

    /// The applied migrations, oldest first.
    func appliedMigrations() throws -> [String] {
        try reader.run { connection in
            try reader.query(connection, "SELECT name FROM leakscope_migration ORDER BY name").map { try $0.decode(String.self) }
        }
    }

    // MARK: Writing

    func write(_ polls: [WatchStore.PollRecord], states: [(target: String, rule: String, state: RuleState)]) throws {
        // One row per target in the upsert (Postgres refuses to update a row twice in one statement):
        // the latest poll wins, the first one gives first_seen.
        var latest: [String: WatchStore.PollRecord] = [:]
        var firstSeen: [String: Double] = [:]
        for poll in polls {
            if latest[poll.target].map({ $0.time <= poll.time }) ?? true { latest[poll.target] = poll }
            firstSeen[poll.target] = min(firstSeen[poll.target] ?? poll.time, poll.time)
        }
        let rows = latest.values.sorted { $0.target < $1.target }
        var sampleTargets: [String] = [], sampleMetrics: [String] = [], sampleTimes: [Double] = [], sampleValues: [Double] = []
        for poll in polls {
            for sample in poll.samples {
                sampleTargets.append(poll.target)
                sampleMetrics.append(sample.metric)
                sampleTimes.append(poll.time)
                sampleValues.append(sample.value)
            }
        }
        let labels = try rows.map { try WatchStore.encodeJSON($0.labels) }
        let stateKeys = states.map { "\($0.target)\u{0}\($0.rule)" }
        let stateRows = Dictionary(zip(stateKeys, states), uniquingKeysWith: { _, last in last }).values
            .map { (target: $0.target, rule: WatchStore.storedRule($0.rule), state: $0.state) }
            .sorted { ($0.target, $0.rule) < ($1.target, $1.rule) }
        let stateJSON = try stateRows.map { try WatchStore.encodeJSON($0.state) }
        try writer.transaction { connection in
            if !rows.isEmpty {
                _ = try writer.query(connection, """
                    INSERT INTO target (url, labels, first_seen, last_poll, up, last_error, owner)
                    SELECT u, l, f, p, up, NULLIF(e, ''), NULLIF(o, '')
                    FROM unnest(\(rows.map(\.target))::text[], \(labels)::text[], \(rows.map { firstSeen[$0.target] ?? $0.time })::float8[],
                                \(rows.map(\.time))::float8[], \(rows.map(\.up))::bool[], \(rows.map { $0.error ?? "" })::text[],
                                \(rows.map { $0.owner ?? "" })::text[]) AS t(u, l, f, p, up, e, o)
                    ON CONFLICT (url) DO UPDATE SET labels = excluded.labels, last_poll = excluded.last_poll, up = excluded.up,
                      last_error = excluded.last_error, owner = excluded.owner
                    """)
            }
            if !sampleTargets.isEmpty {
                _ = try writer.query(connection, """
                    INSERT INTO sample (target, metric, time, value)
                    SELECT * FROM unnest(\(sampleTargets)::text[], \(sampleMetrics)::text[], \(sampleTimes)::float8[], \(sampleValues)::float8[])
                    """)
            }
            if !stateRows.isEmpty {
                _ = try writer.query(connection, """
                    INSERT INTO rule_state (target, rule, state)
                    SELECT * FROM unnest(\(stateRows.map(\.target))::text[], \(stateRows.map(\.rule))::text[], \(stateJSON)::text[])
                    ON CONFLICT (target, rule) DO UPDATE SET state = excluded.state
                    """)
            }
        }
    }

    func prune(before: Double) throws {
        try writer.transaction { connection in
            _ = try writer.query(connection, "DELETE FROM sample WHERE time < \(before)")
            _ = try writer.query(connection, "DELETE FROM alert WHERE state = 'resolved' AND ends_at < \(before)")
            _ = try writer.query(connection, "DELETE FROM capture WHERE time < \(before)")
        }
    }

    func downsample(before: Double, step: Double) throws -> Int {
        try writer.transaction { connection in
            // Watchers sharing the store downsample one at a time: two folding the same raw rows at
            // once would both insert the bucket. The second finds them gone (each statement sees
            // what committed before it).
            _ = try writer.query(connection, "SELECT pg_advisory_xact_lock(7606434102)")
            _ = try writer.query(connection, """
                INSERT INTO sample (target, metric, time, value, step)
                SELECT target, metric, bucket * \(step), avg(value), \(step)
                FROM (SELECT target, metric, value, floor(time / \(step)) AS bucket FROM sample
                      WHERE time < \(before) AND step < \(step)) AS raw
                GROUP BY target, metric, bucket
                """)
            let deleted = try writer.query(connection, "DELETE FROM sample WHERE time < \(before) AND step < \(step)")
            return deleted.metadata.rows ?? 0
        }
    }

    func insertAlert(_ alert: AlertRecord) throws -> Int64 {
        try writer.run { connection in
            let rows = try writer.query(connection, """
                INSERT INTO alert (target, rule, metric, severity, state, starts_at, ends_at, summary, function, location, hint,
                  finding_title, capture_id, silenced)
                VALUES (\(alert.target), \(alert.rule), \(alert.metric), \(alert.severity), \(alert.state), \(alert.startsAt),
                  \(alert.endsAt), \(alert.summary), \(alert.function), \(alert.location), \(alert.hint), \(alert.findingTitle),
                  \(alert.captureID), \(alert.silenced == true)) RETURNING id
                """)
            guard let row = rows.first else { throw StoreError(message: "INSERT INTO alert returned no id") }
            return try row.decode(Int64.self)
        }
    }

    func updateAlert(_ alert: AlertRecord) throws {
        try writer.run { connection in
            _ = try writer.query(connection, """
                UPDATE alert SET state = \(alert.state), ends_at = \(alert.endsAt), summary = \(alert.summary),
                  function = \(alert.function), location = \(alert.location), hint = \(alert.hint),
                  finding_title = \(alert.findingTitle), capture_id = \(alert.captureID), silenced = \(alert.silenced == true)
                WHERE id = \(alert.id)
                """)
        }
    }

    func insertCapture(_ capture: CaptureRecord) throws -> Int64 {
        try writer.run { connection in
            let rows = try writer.query(connection, """
                INSERT INTO capture (target, alert_id, time, directory, status, findings, error)
                VALUES (\(capture.target), \(capture.alertID), \(capture.time), \(capture.directory), \(capture.status),
                  \(capture.findings), \(capture.error)) RETURNING id
                """)
            guard let row = rows.first else { throw StoreError(message: "INSERT INTO capture returned no id") }
            return try row.decode(Int64.self)
        }
    }

    func updateCapture(_ capture: CaptureRecord) throws {
        try writer.run { connection in
            _ = try writer.query(connection, """
                UPDATE capture SET status = \(capture.status), findings = \(capture.findings), error = \(capture.error)
                WHERE id = \(capture.id)
                """)
        }
    }
}
