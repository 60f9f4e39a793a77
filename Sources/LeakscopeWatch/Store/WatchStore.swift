import Foundation
import GRDB
import LeakscopeWatchRules

/// The watcher's history in SQLite (GRDB, WAL): targets, samples, alerts, captures and rule states.
///
/// Samples are buffered and written in one transaction per flush (the watcher flushes at least once
/// per poll interval), so `kill -9` loses at most the last interval; WAL keeps readers (the HTTP API)
/// off the writer's back. Schema changes are migrations, never edits of an applied one.
public final class WatchStore: Sendable {
    let pool: DatabasePool
    public let path: String

    public init(path: String) throws(ConfigError) {
        self.path = path
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
            throw ConfigError(file: path, line: nil, field: "store", "cannot open the SQLite store: \(Self.reason(error))")
        }
    }

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
        return migrator
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
    }
}

// MARK: - Writing

extension WatchStore {
    /// One poll's outcome for a target, written at the next flush.
    public struct PollRecord: Sendable {
        public var target: String
        public var labels: [String: String]
        public var time: Double
        public var up: Bool
        public var error: String?
        public var samples: [(metric: String, value: Double)]
    }

    /// Writes a batch of polls and rule states in one transaction.
    public func write(_ polls: [PollRecord], states: [(target: String, rule: String, state: RuleState)]) throws {
        guard !polls.isEmpty || !states.isEmpty else { return }
        let encoder = JSONEncoder()
        try pool.write { db in
            let upsert = try db.makeStatement(sql: """
                INSERT INTO target (url, labels, firstSeen, lastPoll, up, lastError) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET labels = excluded.labels, lastPoll = excluded.lastPoll,
                  up = excluded.up, lastError = excluded.lastError
                """)
            let insert = try db.makeStatement(sql: "INSERT INTO sample (target, metric, time, value) VALUES (?, ?, ?, ?)")
            for poll in polls {
                let labels = String(decoding: try encoder.encode(poll.labels), as: UTF8.self)
                try upsert.execute(arguments: [poll.target, labels, poll.time, poll.time, poll.up, poll.error])
                for sample in poll.samples {
                    try insert.execute(arguments: [poll.target, sample.metric, poll.time, sample.value])
                }
            }
            let state = try db.makeStatement(sql: "INSERT OR REPLACE INTO ruleState (target, rule, state) VALUES (?, ?, ?)")
            for item in states {
                try state.execute(arguments: [item.target, item.rule, String(decoding: try encoder.encode(item.state), as: UTF8.self)])
            }
        }
    }

    /// Deletes samples, resolved alerts and captures older than `before` (seconds since 1970).
    public func prune(before: Double) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM sample WHERE time < ?", arguments: [before])
            try db.execute(sql: "DELETE FROM alert WHERE state = 'resolved' AND endsAt < ?", arguments: [before])
            try db.execute(sql: "DELETE FROM capture WHERE time < ?", arguments: [before])
        }
    }

    public func insertAlert(_ alert: AlertRecord) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO alert (target, rule, metric, severity, state, startsAt, endsAt, summary, function, location, hint, findingTitle, captureID)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [alert.target, alert.rule, alert.metric, alert.severity, alert.state, alert.startsAt, alert.endsAt,
                                 alert.summary, alert.function, alert.location, alert.hint, alert.findingTitle, alert.captureID])
            return db.lastInsertedRowID
        }
    }

    public func updateAlert(_ alert: AlertRecord) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE alert SET state = ?, endsAt = ?, summary = ?, function = ?, location = ?, hint = ?, findingTitle = ?, captureID = ?
                WHERE id = ?
                """, arguments: [alert.state, alert.endsAt, alert.summary, alert.function, alert.location, alert.hint,
                                 alert.findingTitle, alert.captureID, alert.id])
        }
    }

    public func insertCapture(_ capture: CaptureRecord) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO capture (target, alertID, time, directory, status, findings, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [capture.target, capture.alertID, capture.time, capture.directory, capture.status,
                                       capture.findings, capture.error])
            return db.lastInsertedRowID
        }
    }

    public func updateCapture(_ capture: CaptureRecord) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE capture SET status = ?, findings = ?, error = ? WHERE id = ?",
                           arguments: [capture.status, capture.findings, capture.error, capture.id])
        }
    }
}
