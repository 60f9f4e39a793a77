import Foundation
import PostgresNIO
import LeakscopeWatchRules

// Reads, shards and error messages of the PostgreSQL store.
extension PostgresBackend {
    func alerts(limit: Int) throws -> [AlertRecord] {
        try read("SELECT * FROM alert ORDER BY id DESC LIMIT \(limit)").map(Self.alert)
    }

    func firingAlerts() throws -> [AlertRecord] {
        try read("SELECT * FROM alert WHERE state = 'firing' ORDER BY id").map(Self.alert)
    }

    func captures(limit: Int) throws -> [CaptureRecord] {
        try read("SELECT * FROM capture ORDER BY id DESC LIMIT \(limit)").map { row in
            let row = row.makeRandomAccess()
            return CaptureRecord(id: try row["id"].decode(Int64?.self), target: try row["target"].decode(String.self),
                                 alertID: try row["alert_id"].decode(Int64?.self), time: try row["time"].decode(Double.self),
                                 directory: try row["directory"].decode(String.self), status: try row["status"].decode(String.self),
                                 findings: try row["findings"].decode(String?.self), error: try row["error"].decode(String?.self))
        }
    }

    func targets() throws -> [TargetRecord] {
        try read("SELECT * FROM target ORDER BY url").map { row in
            let row = row.makeRandomAccess()
            return TargetRecord(url: try row["url"].decode(String.self),
                                labels: WatchStore.decodeLabels(try row["labels"].decode(String?.self)),
                                firstSeen: try row["first_seen"].decode(Double?.self), lastPoll: try row["last_poll"].decode(Double?.self),
                                up: try row["up"].decode(Bool.self), lastError: try row["last_error"].decode(String?.self),
                                owner: try row["owner"].decode(String?.self))
        }
    }

    func series(target: String, metric: String, from: Double, to: Double, limit: Int) throws -> [Point] {
        // Postgres has no float8 infinity literal issue, but keep the bound finite for the bind.
        let upper = min(to, 1e300)
        return try read("""
            SELECT time, value FROM (SELECT time, value FROM sample WHERE target = \(target) AND metric = \(metric)
              AND time >= \(from) AND time <= \(upper) ORDER BY time DESC LIMIT \(limit)) AS latest ORDER BY time
            """).map { row in
            let (time, value) = try row.decode((Double, Double).self)
            return Point(time: time, value: value)
        }
    }

    func firstPoints(target: String, metric: String, limit: Int) throws -> [Point] {
        try read("""
            SELECT time, value FROM sample WHERE target = \(target) AND metric = \(metric) ORDER BY time LIMIT \(limit)
            """).map { row in
            let (time, value) = try row.decode((Double, Double).self)
            return Point(time: time, value: value)
        }
    }

    func ruleStates() throws -> [String: RuleState] {
        var states: [String: RuleState] = [:]
        for row in try read("SELECT target, rule, state FROM rule_state") {
            let (target, rule, text) = try row.decode((String, String, String).self)
            if let state = try? JSONDecoder().decode(RuleState.self, from: Data(text.utf8)) {
                states[target + "\u{0}" + WatchStore.loadedRule(rule)] = state
            }
        }
        return states
    }

    func sampleCount() throws -> Int {
        try read("SELECT COUNT(*) FROM sample").first.map { Int(try $0.decode(Int64.self)) } ?? 0
    }

    func read(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try reader.run { connection in try reader.query(connection, query) }
    }

    // MARK: Shards

    /// Heartbeat, membership, release and claim in one transaction, all timed by the server's clock
    /// (watchers' clocks may disagree; the database's is the one they share).
    func claimShard(_ request: ShardRequest) throws -> ShardGrant {
        try writer.transaction { connection in
            let now = "extract(epoch from clock_timestamp())::float8"
            _ = try writer.query(connection, """
                INSERT INTO watcher (id, heartbeat, started, listen) VALUES (\(request.watcher), \(unescaped: now), \(unescaped: now),
                  \(request.listen))
                ON CONFLICT (id) DO UPDATE SET heartbeat = excluded.heartbeat, listen = excluded.listen
                """)
            // Rows of watchers gone for ten leases are only history.
            _ = try writer.query(connection, "DELETE FROM watcher WHERE heartbeat < \(unescaped: now) - \(request.lease * 10)")
            let members = try writer.query(connection, """
                SELECT id FROM watcher WHERE heartbeat > \(unescaped: now) - \(request.lease) ORDER BY id
                """).map { try $0.decode(String.self) }
            let wanted = request.targets.filter { Rendezvous.owner(of: $0, among: members) == request.watcher }
            _ = try writer.query(connection, """
                DELETE FROM target_lease WHERE owner = \(request.watcher) AND NOT (target = ANY(\(wanted)::text[]))
                """)
            var owned: Set<String> = []
            if !wanted.isEmpty {
                let claimed = try writer.query(connection, """
                    INSERT INTO target_lease (target, owner, expires)
                    SELECT t, \(request.watcher), \(unescaped: now) + \(request.lease) FROM unnest(\(wanted)::text[]) AS t
                    ON CONFLICT (target) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
                      WHERE target_lease.owner = excluded.owner OR target_lease.expires < \(unescaped: now)
                    RETURNING target
                    """)
                for row in claimed { owned.insert(try row.decode(String.self)) }
            }
            return ShardGrant(owned: owned, members: members)
        }
    }

    /// A watcher stopping cleanly hands its targets over at once instead of after a lease.
    func leaveShard(watcher: String) throws {
        try writer.transaction { connection in
            _ = try writer.query(connection, "DELETE FROM target_lease WHERE owner = \(watcher)")
            _ = try writer.query(connection, "DELETE FROM watcher WHERE id = \(watcher)")
        }
    }

    // MARK: Silences

    func silences(endingAfter: Double) throws -> [Silence] {
        try read("SELECT * FROM silence WHERE ends_at > \(endingAfter) ORDER BY id DESC").map { row in
            let row = row.makeRandomAccess()
            return Silence(id: try row["id"].decode(Int64.self), matchers: WatchStore.decodeLabels(try row["matchers"].decode(String.self)),
                           startsAt: try row["starts_at"].decode(Double.self), endsAt: try row["ends_at"].decode(Double.self),
                           comment: try row["comment"].decode(String.self), createdBy: try row["created_by"].decode(String.self))
        }
    }

    func insertSilence(_ silence: Silence) throws -> Int64 {
        let matchers = try WatchStore.encodeJSON(silence.matchers)
        return try writer.run { connection in
            let rows = try writer.query(connection, """
                INSERT INTO silence (matchers, starts_at, ends_at, comment, created_by)
                VALUES (\(matchers), \(silence.startsAt), \(silence.endsAt), \(silence.comment), \(silence.createdBy)) RETURNING id
                """)
            guard let row = rows.first else { throw StoreError(message: "INSERT INTO silence returned no id") }
            return try row.decode(Int64.self)
        }
    }

    func expireSilence(id: Int64, at time: Double) throws -> Bool {
        try writer.run { connection in
            let found = try writer.query(connection, "SELECT 1 FROM silence WHERE id = \(id)")
            guard found.first != nil else { return false }
            _ = try writer.query(connection, "UPDATE silence SET ends_at = \(time) WHERE id = \(id) AND ends_at > \(time)")
            return true
        }
    }

    // MARK: Rows and errors

    static func alert(_ row: PostgresRow) throws -> AlertRecord {
        let row = row.makeRandomAccess()
        return AlertRecord(id: try row["id"].decode(Int64?.self), target: try row["target"].decode(String.self),
                           rule: try row["rule"].decode(String.self), metric: try row["metric"].decode(String.self),
                           severity: try row["severity"].decode(String.self), state: try row["state"].decode(String.self),
                           startsAt: try row["starts_at"].decode(Double.self), endsAt: try row["ends_at"].decode(Double?.self),
                           summary: try row["summary"].decode(String.self), function: try row["function"].decode(String?.self),
                           location: try row["location"].decode(String?.self), hint: try row["hint"].decode(String?.self),
                           findingTitle: try row["finding_title"].decode(String?.self),
                           captureID: try row["capture_id"].decode(Int64?.self),
                           silenced: try row["silenced"].decode(Bool.self) ? true : nil)
    }

    /// Why opening failed, in one line that names the server and never the password.
    static func openFailure(_ error: any Error, dsn: PostgresDSN) -> String {
        guard let error = error as? PSQLError else { return "cannot open the PostgreSQL store \(dsn.display): \(error)" }
        let state = error.serverInfo?[.sqlState]
        switch (error.code, state) {
        case (.server, "28P01"?), (.server, "28000"?):
            return "PostgreSQL at \(dsn.display) refused the login of user '\(dsn.user)': \(error.serverInfo?[.message] ?? "authentication failed")"
        case (.server, "3D000"?):
            return "PostgreSQL at \(dsn.host):\(dsn.port) has no database '\(dsn.database)' (create it: createdb -O \(dsn.user) \(dsn.database))"
        case (.authMechanismRequiresPassword, _):
            return "PostgreSQL at \(dsn.display) asks for a password for user '\(dsn.user)': put it in the URL or in PGPASSWORD"
        case (.sslUnsupported, _):
            return "PostgreSQL at \(dsn.display) does not offer TLS; add ?sslmode=disable to the URL to connect without it"
        case (.connectionError, _), (.serverClosedConnection, _), (.uncleanShutdown, _):
            return "cannot reach PostgreSQL at \(dsn.host):\(dsn.port): \(transport(error.underlying))"
        default:
            return "cannot open the PostgreSQL store \(dsn.display): \(reason(error) ?? "\(error.code)")"
        }
    }

    static func transport(_ error: (any Error)?) -> String {
        guard let error else { return "connection lost" }
        let text = String(describing: error)
        for (needle, phrase) in [("refused", "connection refused"), ("timed out", "timed out"), ("timeout", "timed out"),
                                 ("resolve", "cannot resolve the host name"), ("unreachable", "network unreachable")]
        where text.localizedCaseInsensitiveContains(needle) {
            return phrase
        }
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }

    static func reason(_ error: any Error) -> String? {
        guard let error = error as? PSQLError else { return nil }
        if let message = error.serverInfo?[.message] { return "PostgreSQL: \(message)" }
        if error.code == .connectionError || error.code == .serverClosedConnection {
            return "PostgreSQL: \(transport(error.underlying))"
        }
        return "PostgreSQL: \(error.code)"
    }
}
