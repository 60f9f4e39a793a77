import Foundation
import GRDB
import LeakscopeWatchRules

/// An alert as stored and as `/api/v1/alerts` shows it.
public struct AlertRecord: Sendable, Codable, Equatable {
    public var id: Int64?
    public var target: String
    public var rule: String
    public var metric: String
    public var severity: String
    /// `firing` or `resolved`.
    public var state: String
    public var startsAt: Double
    public var endsAt: Double?
    public var summary: String
    public var function: String?
    /// `file:line` of the top finding.
    public var location: String?
    public var hint: String?
    public var findingTitle: String?
    public var captureID: Int64?
}

/// A capture taken when an alert fired, as `/api/v1/captures` shows it.
public struct CaptureRecord: Sendable, Codable, Equatable {
    public var id: Int64?
    public var target: String
    public var alertID: Int64?
    public var time: Double
    public var directory: String
    /// `running`, `diagnosed` or `failed`.
    public var status: String
    /// The diagnosis's top findings as JSON (contracts.md's finding objects).
    public var findings: String?
    public var error: String?
}

/// A target as `/api/v1/targets` shows it.
public struct TargetRecord: Sendable, Codable, Equatable {
    public var url: String
    public var labels: [String: String]
    public var firstSeen: Double?
    public var lastPoll: Double?
    public var up: Bool
    public var lastError: String?
}

extension WatchStore {
    public func alerts(limit: Int = 500) throws -> [AlertRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.alert)
        }
    }

    /// Alerts still firing (to resume after a restart).
    public func firingAlerts() throws -> [AlertRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert WHERE state = 'firing' ORDER BY id").map(Self.alert)
        }
    }

    public func captures(limit: Int = 500) throws -> [CaptureRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM capture ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                CaptureRecord(id: row["id"], target: row["target"], alertID: row["alertID"], time: row["time"],
                              directory: row["directory"], status: row["status"], findings: row["findings"], error: row["error"])
            }
        }
    }

    public func targets() throws -> [TargetRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM target ORDER BY url").map { row in
                let labels = (row["labels"] as String?).flatMap {
                    try? JSONDecoder().decode([String: String].self, from: Data($0.utf8))
                } ?? [:]
                return TargetRecord(url: row["url"], labels: labels, firstSeen: row["firstSeen"], lastPoll: row["lastPoll"],
                                    up: row["up"], lastError: row["lastError"])
            }
        }
    }

    /// A series between `from` and `to` (seconds since 1970), oldest first, at most `limit` points (the latest).
    public func series(target: String, metric: String, from: Double = 0, to: Double = .greatestFiniteMagnitude,
                       limit: Int = 10_000) throws -> [Point] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT time, value FROM (SELECT time, value FROM sample WHERE target = ? AND metric = ? AND time >= ? AND time <= ?
                ORDER BY time DESC LIMIT ?) ORDER BY time
                """, arguments: [target, metric, from, to, limit]).map { Point(time: $0["time"], value: $0["value"]) }
        }
    }

    /// The first `limit` points of a series (the warm-up the baseline is learned from).
    public func firstPoints(target: String, metric: String, limit: Int) throws -> [Point] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT time, value FROM sample WHERE target = ? AND metric = ? ORDER BY time LIMIT ?",
                             arguments: [target, metric, limit]).map { Point(time: $0["time"], value: $0["value"]) }
        }
    }

    public func ruleStates() throws -> [String: RuleState] {
        try pool.read { db in
            var states: [String: RuleState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM ruleState") {
                let key = (row["target"] as String) + "\u{0}" + (row["rule"] as String)
                if let state = try? JSONDecoder().decode(RuleState.self, from: Data((row["state"] as String).utf8)) {
                    states[key] = state
                }
            }
            return states
        }
    }

    public func sampleCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample") ?? 0 }
    }

    static func alert(_ row: Row) -> AlertRecord {
        AlertRecord(id: row["id"], target: row["target"], rule: row["rule"], metric: row["metric"], severity: row["severity"],
                    state: row["state"], startsAt: row["startsAt"], endsAt: row["endsAt"], summary: row["summary"],
                    function: row["function"], location: row["location"], hint: row["hint"],
                    findingTitle: row["findingTitle"], captureID: row["captureID"])
    }
}
