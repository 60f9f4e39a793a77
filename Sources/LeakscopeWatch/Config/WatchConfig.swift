import Foundation
import LeakscopeWatchRules

/// Everything `leakscope watch` is told: what to poll, how often, which rules, where alerts and data go.
/// docs/WATCH.md documents every field and its default; `WatchConfigParser` reads it from YAML.
public struct WatchConfig: Sendable {
    /// Seconds between two polls of a target.
    public var interval: Double = 15
    /// Where samples, alerts and captures are kept.
    public var store: Store = .sqlite(path: "leakscope.db")
    /// `HOST:PORT` for the HTTP API and `/metrics`.
    public var listen = Listen(host: "127.0.0.1", port: 7070)
    public var targets: [Target] = []
    /// Prometheus file_sd files (JSON or YAML), re-read when they change.
    public var fileSD: [String] = []
    /// Alertmanager's base URL (`http://host:9093`).
    public var alertmanager: String?
    /// A URL that receives every firing and resolved alert as JSON.
    public var webhook: String?
    public var rules: [Rule] = Rule.defaults
    public var capture = Capture()
    public var poll = Poll()
    /// How long samples are kept (seconds); alerts and captures are kept as long.
    public var retentionSeconds: Double = 7 * 24 * 3600
    /// A bearer token every HTTP request must carry (`Authorization: Bearer TOKEN`). Required when
    /// `listen` is not a loopback address; also read from `LEAKSCOPE_WATCH_TOKEN`.
    public var token: String?
    /// The URL this watcher is reached at, for alerts' `generatorURL` (default `http://` + listen).
    public var externalURL: String?
    /// This watcher's place among the watchers sharing a PostgreSQL store.
    public var shard = Shard()
    /// Folding old samples into coarser ones.
    public var downsample = Downsample()
    /// Silences from the config file (the API adds more, kept in the store).
    public var silences: [Silence] = []

    public init() {}

    public enum Store: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public struct Listen: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var text: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
        /// Whether only this machine can connect.
        public var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }
    }

    /// One service to watch.
    public struct Target: Sendable, Equatable {
        /// The URL as configured; the `target` label of its alerts.
        public var url: String
        public var labels: [String: String] = [:]
        /// The net/http/pprof prefix (default `/debug/pprof/`).
        public var prefix: String?
        /// Where Prometheus metrics are read (default `/metrics`; `none` never tries).
        public var metricsPath: String? = "/metrics"
        public var headers: [String: String] = [:]
        /// Accept any https certificate.
        public var insecure = false
        public var caFile: String?
        /// Per-request limit for a poll (seconds); default `poll.timeout`.
        public var timeout: Double?
        public init(url: String, labels: [String: String] = [:]) {
            self.url = url
            self.labels = labels
        }
    }

    /// What happens when a rule fires.
    public struct Capture: Sendable, Equatable {
        public var enabled = true
        /// Folder for capture sets (one per alert).
        public var directory = "leakscope-captures"
        /// Goroutine snapshots per capture (two make a trend for diagnose).
        public var snapshots = 2
        /// Seconds between them.
        public var snapshotInterval: Double = 1
        /// A CPU profile of this many seconds (0: none).
        public var cpuSeconds = 0
        /// An execution trace of this many seconds, taken alongside the snapshots (0: none); diagnose
        /// then uses goroutine lifecycles as evidence.
        public var traceSeconds = 0
        /// Above this many goroutines the proto profile is taken instead of the debug=2 dump.
        public var goroutineCeiling = 50_000
        /// At most one capture per target per this many seconds.
        public var cooldownSeconds: Double = 600
        /// Captures running at once, over all targets.
        public var maxConcurrent = 2
        /// Seconds a capture's requests may take each.
        public var timeout: Double = 30
    }

    /// Several watchers on one PostgreSQL store split the targets; each target is polled by exactly one.
    public struct Shard: Sendable, Equatable {
        /// This watcher's name in the `watcher` table; default `HOSTNAME-PID`. Keep it stable across
        /// restarts to take the same targets back at once.
        public var id: String?
        /// Seconds without a heartbeat after which a watcher's targets are taken over (0: max(3 × interval, 5 s)).
        public var leaseSeconds: Double = 0

        /// The lease in effect for `interval`.
        public func lease(interval: Double) -> Double { leaseSeconds > 0 ? leaseSeconds : max(3 * interval, 5) }

        /// The ID in effect.
        public var resolvedID: String {
            id ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        }
    }

    /// Samples older than `after` are folded into one sample (the mean) per `step` per series.
    public struct Downsample: Sendable, Equatable {
        /// Age in seconds at which samples are folded (0: never).
        public var afterSeconds: Double = 2 * 24 * 3600
        /// Width of a folded sample in seconds.
        public var stepSeconds: Double = 300
    }

    /// How polling is bounded.
    public struct Poll: Sendable, Equatable {
        /// Polls in flight at once.
        public var concurrency = 64
        /// Per-request limit (seconds), default 5 s (and never more than the interval).
        public var timeout: Double = 5
        /// A failing target is retried after interval × 2^failures, up to this (seconds).
        public var maxBackoff: Double = 300
        /// Largest body read from `/metrics` or `heap?debug=1`.
        public var maxBytes = 4 << 20
    }
}
