import Foundation
import GRDB
import LeakscopeWatchRules

/// The embedded store: one SQLite file (GRDB, WAL). One watcher owns it, so it has no shards.
final class SQLiteBackend: StoreBackend {
    let pool: DatabasePool

    init(path: String) throws(ConfigError) {
        do {
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                // NORMAL in WAL mode: a commit survives a process crash (not a power cut), which is the promise.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            configuration.busyMode = .timeout(5)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw ConfigError(file: path, line: nil, field: "store",
                              "cannot open the SQLite store: \(Self.reason(error) ?? "\(error)")")
        }
    }

    var isShared: Bool { false }

    func close() { try? pool.close() }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "target") { t in
                t.primaryKey("url", .text)
                t.column("labels", .text).notNull().defaults(to: "{}")
                t.column("firstSeen", .double)
                t.column("lastPoll", .double)
                t.column("up", .boolean).notNull().defaults(to: false)
                t.column("lastError", .text)
            }
            try db.create(table: "sample") { t in
                t.column("target", .text).notNull()
                t.column("metric", .text).notNull()
                t.column("time", .double).notNull()
                t.column("value", .double).notNull()
            }
            try db.create(index: "sample_by_series", on: "sample", columns: ["target", "metric", "time"])
            try db.create(index: "sample_by_time", on: "sample", columns: ["time"])
            try db.create(table: "alert") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("target", .text).notNull()
                t.column("rule", .text).notNull()
                t.column("metric", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("state", .text).notNull()
                t.column("startsAt", .double).notNull()
                t.column("endsAt", .double)
                t.column("summary", .text).notNull()
                t.column("function", .text)
                t.column("location", .text)
                t.column("hint", .text)
                t.column("findingTitle", .text)
                t.column("captureID", .integer)
            }
            try db.create(table: "capture") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("target", .text).notNull()
                t.column("alertID", .integer)
                t.column("time", .double).notNull()
                t.column("directory", .text).notNull()
                t.column("status", .text).notNull()
                t.column("findings", .text)
                t.column("error", .text)
            }
            try db.create(table: "ruleState") { t in
                t.column("target", .text).notNull()
                t.column("rule", .text).notNull()
                t.column("state", .text).notNull()
                t.primaryKey(["target", "rule"])
            }
        }
        // v2: downsampled samples carry their bucket width (0 = raw); targets remember who polled them.
        migrator.registerMigration("v2") { db in
            try db.alter(table: "sample") { t in t.add(column: "step", .double).notNull().defaults(to: 0) }
            try db.alter(table: "target") { t in t.add(column: "owner", .text) }
        }
        // v3: silences (from the API) and alerts that fired under one.
        migrator.registerMigration("v3") { db in
            try db.create(table: "silence") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("matchers", .text).notNull()
                t.column("startsAt", .double).notNull()
                t.column("endsAt", .double).notNull()
                t.column("comment", .text).notNull().defaults(to: "")
                t.column("createdBy", .text).notNull().defaults(to: "")
            }
            try db.alter(table: "alert") { t in t.add(column: "silenced", .boolean).notNull().defaults(to: false) }
        }
        return migrator
    }

    static func reason(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        return error.message ?? "\(error.resultCode)"
    }

    // MARK: Writing

    func write(_ polls: [WatchStore.PollRecord], states: [(target: String, rule: String, state: RuleState)]) throws {
        try pool.write { db in
            let upsert = try db.makeStatement(sql: """
                INSERT INTO target (url, labels, firstSeen, lastPoll, up, lastError, owner) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET labels = excluded.labels, lastPoll = excluded.lastPoll,
                  up = excluded.up, lastError = excluded.lastError, owner = excluded.owner
                """)
            let insert = try db.makeStatement(sql: "INSERT INTO sample (target, metric, time, value) VALUES (?, ?, ?, ?)")
            for poll in polls {
                let labels = try WatchStore.encodeJSON(poll.labels)
                try upsert.execute(arguments: [poll.target, labels, poll.time, poll.time, poll.up, poll.error, poll.owner])
                for sample in poll.samples {
                    try insert.execute(arguments: [poll.target, sample.metric, poll.time, sample.value])
                }
            }
            let state = try db.makeStatement(sql: "INSERT OR REPLACE INTO ruleState (target, rule, state) VALUES (?, ?, ?)")
            for item in states {
                try state.execute(arguments: [item.target, WatchStore.storedRule(item.rule), try WatchStore.encodeJSON(item.state)])
            }
        }
    }

    func prune(before: Double) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM sample WHERE time < ?", arguments: [before])
            try db.execute(sql: "DELETE FROM alert WHERE state = 'resolved' AND endsAt < ?", arguments: [before])
            try db.execute(sql: "DELETE FROM capture WHERE time < ?", arguments: [before])
        }
    }

    func downsample(before: Double, step: Double) throws -> Int {
        try pool.write { db in
            // Times are positive, so CAST(… AS INTEGER) is floor().
            try db.execute(sql: """
                INSERT INTO sample (target, metric, time, value, step)
                SELECT target, metric, CAST(time / ?1 AS INTEGER) * ?1, AVG(value), ?1 FROM sample
                WHERE time < ?2 AND step < ?1 GROUP BY target, metric, CAST(time / ?1 AS INTEGER)
                """, arguments: [step, before])
            try db.execute(sql: "DELETE FROM sample WHERE time < ? AND step < ?", arguments: [before, step])
            return db.changesCount
        }
    }

    func insertAlert(_ alert: AlertRecord) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO alert (target, rule, metric, severity, state, startsAt, endsAt, summary, function, location, hint, findingTitle,
                  captureID, silenced)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [alert.target, alert.rule, alert.metric, alert.severity, alert.state, alert.startsAt, alert.endsAt,
                                 alert.summary, alert.function, alert.location, alert.hint, alert.findingTitle, alert.captureID,
                                 alert.silenced == true])
            return db.lastInsertedRowID
        }
    }

    func updateAlert(_ alert: AlertRecord) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE alert SET state = ?, endsAt = ?, summary = ?, function = ?, location = ?, hint = ?, findingTitle = ?, captureID = ?,
                  silenced = ?
                WHERE id = ?
                """, arguments: [alert.state, alert.endsAt, alert.summary, alert.function, alert.location, alert.hint,
                                 alert.findingTitle, alert.captureID, alert.silenced == true, alert.id])
        }
    }

    func insertCapture(_ capture: CaptureRecord) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO capture (target, alertID, time, directory, status, findings, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [capture.target, capture.alertID, capture.time, capture.directory, capture.status,
                                       capture.findings, capture.error])
            return db.lastInsertedRowID
        }
    }

    func updateCapture(_ capture: CaptureRecord) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE capture SET status = ?, findings = ?, error = ? WHERE id = ?",
                           arguments: [capture.status, capture.findings, capture.error, capture.id])
        }
    }

    // MARK: Reading

    func alerts(limit: Int) throws -> [AlertRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.alert)
        }
    }

    func firingAlerts() throws -> [AlertRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert WHERE state = 'firing' ORDER BY id").map(Self.alert)
        }
    }

    func captures(limit: Int) throws -> [CaptureRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM capture ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                CaptureRecord(id: row["id"], target: row["target"], alertID: row["alertID"], time: row["time"],
                              directory: row["directory"], status: row["status"], findings: row["findings"], error: row["error"])
            }
        }
    }

    func targets() throws -> [TargetRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM target ORDER BY url").map { row in
                TargetRecord(url: row["url"], labels: WatchStore.decodeLabels(row["labels"]), firstSeen: row["firstSeen"],
                             lastPoll: row["lastPoll"], up: row["up"], lastError: row["lastError"], owner: row["owner"])
            }
        }
    }

    func series(target: String, metric: String, from: Double, to: Double, limit: Int) throws -> [Point] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT time, value FROM (SELECT time, value FROM sample WHERE target = ? AND metric = ? AND time >= ? AND time <= ?
                ORDER BY time DESC LIMIT ?) ORDER BY time
                """, arguments: [target, metric, from, to, limit]).map { Point(time: $0["time"], value: $0["value"]) }
        }
    }

    func firstPoints(target: String, metric: String, limit: Int) throws -> [Point] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT time, value FROM sample WHERE target = ? AND metric = ? ORDER BY time LIMIT ?",
                             arguments: [target, metric, limit]).map { Point(time: $0["time"], value: $0["value"]) }
        }
    }

    func ruleStates() throws -> [String: RuleState] {
        try pool.read { db in
            var states: [String: RuleState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM ruleState") {
                let key = (row["target"] as String) + "\u{0}" + WatchStore.loadedRule(row["rule"] as String)
                if let state = try? JSONDecoder().decode(RuleState.self, from: Data((row["state"] as String).utf8)) {
                    states[key] = state
                }
            }
            return states
        }
    }

    func sampleCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample") ?? 0 }
    }

    /// One watcher owns an SQLite file: it gets every target it asks for.
    func claimShard(_ request: ShardRequest) throws -> ShardGrant {
        ShardGrant(owned: Set(request.targets), members: [request.watcher])
    }

    func leaveShard(watcher: String) throws {}

    func silences(endingAfter: Double) throws -> [Silence] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM silence WHERE endsAt > ? ORDER BY id DESC", arguments: [endingAfter]).map { row in
                Silence(id: row["id"], matchers: WatchStore.decodeLabels(row["matchers"]), startsAt: row["startsAt"],
                        endsAt: row["endsAt"], comment: row["comment"], createdBy: row["createdBy"])
            }
        }
    }

    func insertSilence(_ silence: Silence) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO silence (matchers, startsAt, endsAt, comment, createdBy) VALUES (?, ?, ?, ?, ?)",
                           arguments: [try WatchStore.encodeJSON(silence.matchers), silence.startsAt, silence.endsAt,
                                       silence.comment, silence.createdBy])
            return db.lastInsertedRowID
        }
    }

    func expireSilence(id: Int64, at time: Double) throws -> Bool {
        try pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM silence WHERE id = ?", arguments: [id]) == 1 else { return false }
            try db.execute(sql: "UPDATE silence SET endsAt = ? WHERE id = ? AND endsAt > ?", arguments: [time, id, time])
            return true
        }
    }

    static func alert(_ row: Row) -> AlertRecord {
        AlertRecord(id: row["id"], target: row["target"], rule: row["rule"], metric: row["metric"], severity: row["severity"],
                    state: row["state"], startsAt: row["startsAt"], endsAt: row["endsAt"], summary: row["summary"],
                    function: row["function"], location: row["location"], hint: row["hint"],
                    findingTitle: row["findingTitle"], captureID: row["captureID"],
                    silenced: (row["silenced"] as Bool? ?? false) ? true : nil)
    }
}
