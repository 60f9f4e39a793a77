import Foundation
import LeakscopeWatchRules

/// The watcher's history: targets, samples, alerts, captures and rule states, in SQLite (one watcher,
/// the default) or PostgreSQL (a fleet: several watchers share one database, each owning a shard).
///
/// Samples are buffered and written in one transaction per flush (the watcher flushes at least once
/// per poll interval), so `kill -9` loses at most the last interval. Schema changes are numbered
/// migrations, never edits of an applied one. Every method is synchronous: SQLite's are local file
/// I/O; PostgreSQL's wait on the store's own event loop thread, never on the caller's.
public final class WatchStore: Sendable {
    let backend: any StoreBackend
    /// The SQLite file, or the PostgreSQL `host:port/database`.
    public let path: String

    /// Opens (creating and migrating) the SQLite store at `path`.
    public init(path: String) throws(ConfigError) {
        self.path = path
        backend = try SQLiteBackend(path: path)
    }

    /// Opens (migrating) the PostgreSQL store at `dsn`; bad URLs, unreachable servers and refused
    /// logins are one-line `ConfigError`s on the field `store`.
    public init(postgres dsn: PostgresDSN) throws(ConfigError) {
        path = dsn.display
        backend = try PostgresBackend(dsn: dsn)
    }

    /// Opens what `store:` names.
    public static func open(_ store: WatchConfig.Store) throws(ConfigError) -> WatchStore {
        switch store {
        case .sqlite(let path): return try WatchStore(path: path)
        case .postgres(let url): return try WatchStore(postgres: try PostgresDSN(url))
        }
    }

    /// Whether several watchers can share this store (PostgreSQL), so targets are split into shards.
    public var isShared: Bool { backend.isShared }

    /// Closes connections (PostgreSQL); later calls fail.
    public func close() { backend.close() }

    /// The watcher keys rule states by `rule NUL metric`. PostgreSQL text cannot hold NUL and
    /// SQLite's C strings end at it (the metric was lost on reading), so both stores keep the unit
    /// separator (U+001F) in the `rule` column and reads map it back.
    static func storedRule(_ rule: String) -> String { rule.replacingOccurrences(of: "\u{0}", with: "\u{1F}") }

    static func loadedRule(_ rule: String) -> String { rule.replacingOccurrences(of: "\u{1F}", with: "\u{0}") }

    static func reason(_ error: any Error) -> String {
        if let error = error as? StoreError { return error.message }
        if let reason = SQLiteBackend.reason(error) { return reason }
        if let reason = PostgresBackend.reason(error) { return reason }
        return "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
    }
}

/// A store failure after the store opened (a query, a lost connection), in one line.
struct StoreError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// What a store engine does; `WatchStore` forwards to one.
protocol StoreBackend: Sendable {
    var isShared: Bool { get }
    func close()
    func write(_ polls: [WatchStore.PollRecord], states: [(target: String, rule: String, state: RuleState)]) throws
    func prune(before: Double) throws
    func downsample(before: Double, step: Double) throws -> Int
    func insertAlert(_ alert: AlertRecord) throws -> Int64
    func updateAlert(_ alert: AlertRecord) throws
    func insertCapture(_ capture: CaptureRecord) throws -> Int64
    func updateCapture(_ capture: CaptureRecord) throws
    func alerts(limit: Int) throws -> [AlertRecord]
    func firingAlerts() throws -> [AlertRecord]
    func captures(limit: Int) throws -> [CaptureRecord]
    func targets() throws -> [TargetRecord]
    func series(target: String, metric: String, from: Double, to: Double, limit: Int) throws -> [Point]
    func firstPoints(target: String, metric: String, limit: Int) throws -> [Point]
    func ruleStates() throws -> [String: RuleState]
    func sampleCount() throws -> Int
    func claimShard(_ request: ShardRequest) throws -> ShardGrant
    func leaveShard(watcher: String) throws
    func silences(endingAfter: Double) throws -> [Silence]
    func insertSilence(_ silence: Silence) throws -> Int64
    func expireSilence(id: Int64, at time: Double) throws -> Bool
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
        /// The watcher that polled (shared stores), shown as the target's `owner`.
        public var owner: String?
    }

    /// Writes a batch of polls and rule states in one transaction.
    public func write(_ polls: [PollRecord], states: [(target: String, rule: String, state: RuleState)]) throws {
        guard !polls.isEmpty || !states.isEmpty else { return }
        try backend.write(polls, states: states)
    }

    /// Deletes samples, resolved alerts and captures older than `before` (seconds since 1970).
    public func prune(before: Double) throws { try backend.prune(before: before) }

    /// Folds raw samples older than `before` into one sample per `step` seconds per series (the mean
    /// of the bucket, at the bucket's start). `before` is rounded down to a multiple of `step` so a
    /// bucket is never folded twice. Returns how many raw samples were folded.
    @discardableResult
    public func downsample(before: Double, step: Double) throws -> Int {
        guard step >= 1 else { return 0 }
        return try backend.downsample(before: (before / step).rounded(.down) * step, step: step)
    }

    public func insertAlert(_ alert: AlertRecord) throws -> Int64 { try backend.insertAlert(alert) }

    public func updateAlert(_ alert: AlertRecord) throws { try backend.updateAlert(alert) }

    public func insertCapture(_ capture: CaptureRecord) throws -> Int64 { try backend.insertCapture(capture) }

    public func updateCapture(_ capture: CaptureRecord) throws { try backend.updateCapture(capture) }
}

// MARK: - Shards

extension WatchStore {
    /// One heartbeat of a watcher sharing this store: returns the targets it may poll now (SQLite:
    /// all of them) and the live watchers. See `ShardRequest`.
    public func claimShard(_ request: ShardRequest) throws -> ShardGrant { try backend.claimShard(request) }

    /// Releases a watcher's leases and removes its heartbeat, so others take its targets at once.
    public func leaveShard(watcher: String) throws { try backend.leaveShard(watcher: watcher) }
}
