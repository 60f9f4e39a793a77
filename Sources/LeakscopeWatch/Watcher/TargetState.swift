import LeakscopeWatchRules

/// What the watcher knows about one target between polls. Memory per target is bounded: at most
/// `recentLimit` recent points and `firstLimit` warm-up points per metric.
struct TargetState: Sendable {
    var target: WatchTarget
    /// Wall-clock seconds when the next poll is due.
    var nextDue: Double
    var inFlight = false
    /// Failed polls in a row (for backoff).
    var failures = 0
    var up: Bool?
    var lastError: String?
    var lastPoll: Double?
    var lastLatency: Double?
    var pollErrors = 0
    /// Whether `/metrics` served Go metrics; nil until tried. Re-checked every `metricsRecheck` polls.
    var metricsServed: Bool?
    var pollsSinceMetricsCheck = 0
    /// Recent points per metric, oldest first.
    var recent: [String: [Point]] = [:]
    /// The first points per metric (the warm-up baselines are learned from these).
    var first: [String: [Point]] = [:]
    /// When a capture was last started for this target.
    var lastCapture: Double?
    /// The latest diagnosis's top finding, attached to alerts that fire within the capture cooldown.
    var lastDiagnosis: Diagnosed?

    static let recentLimit = 128
    static let firstLimit = 64
    static let metricsRecheck = 40

    struct Diagnosed: Sendable {
        var time: Double
        var captureID: Int64?
        var top: TopFinding?
    }

    mutating func append(metric: String, point: Point) {
        var series = recent[metric, default: []]
        series.append(point)
        if series.count > Self.recentLimit { series.removeFirst(series.count - Self.recentLimit) }
        recent[metric] = series
        if first[metric, default: []].count < Self.firstLimit { first[metric, default: []].append(point) }
    }
}

/// The part of a diagnosis an alert carries.
public struct TopFinding: Sendable, Codable, Equatable {
    public var title: String
    public var function: String?
    /// `file:line`.
    public var location: String?
    public var hint: String
}
