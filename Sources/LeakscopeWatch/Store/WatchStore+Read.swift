import Foundation
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
    /// True while a silence covers it: stored and shown, not sent to Alertmanager or the webhook.
    public var silenced: Bool? = nil
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
    /// The watcher that last polled it (shared PostgreSQL stores; nil in SQLite).
    public var owner: String? = nil
}

extension WatchStore {
    public func alerts(limit: Int = 500) throws -> [AlertRecord] { try backend.alerts(limit: limit) }

    /// Alerts still firing (to resume after a restart).
    public func firingAlerts() throws -> [AlertRecord] { try backend.firingAlerts() }

    public func captures(limit: Int = 500) throws -> [CaptureRecord] { try backend.captures(limit: limit) }

    public func targets() throws -> [TargetRecord] { try backend.targets() }

    /// A series between `from` and `to` (seconds since 1970), oldest first, at most `limit` points (the latest).
    public func series(target: String, metric: String, from: Double = 0, to: Double = .greatestFiniteMagnitude,
                       limit: Int = 10_000) throws -> [Point] {
        try backend.series(target: target, metric: metric, from: from, to: to, limit: limit)
    }

    /// The first `limit` points of a series (the warm-up the baseline is learned from).
    public func firstPoints(target: String, metric: String, limit: Int) throws -> [Point] {
        try backend.firstPoints(target: target, metric: metric, limit: limit)
    }

    /// Rule states keyed by `target + "\0" + rule`.
    public func ruleStates() throws -> [String: RuleState] { try backend.ruleStates() }

    public func sampleCount() throws -> Int { try backend.sampleCount() }

    /// Silences added through the API that end after `endingAfter`, newest first.
    public func silences(endingAfter: Double = 0) throws -> [Silence] { try backend.silences(endingAfter: endingAfter) }

    /// Stores a silence; returns its ID.
    public func insertSilence(_ silence: Silence) throws -> Int64 { try backend.insertSilence(silence) }

    /// Ends silence `id` at `time` (if it ended later); false when there is no such silence.
    @discardableResult
    public func expireSilence(id: Int64, at time: Double) throws -> Bool { try backend.expireSilence(id: id, at: time) }

    static func decodeLabels(_ text: String?) -> [String: String] {
        text.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
    }

    static func encodeJSON<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
