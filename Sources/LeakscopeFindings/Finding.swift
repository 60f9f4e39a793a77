/// One thing `leakscope diagnose` found: what kind of problem, how bad, which code, why we think
/// so and what to do. Every analyzer (goroutines, heap, CPU, contention, GODEBUG logs) speaks
/// this one type so findings can be ranked against each other and rendered the same way.
public struct Finding: Sendable, Hashable, Codable {
    /// The shape of the problem. Raw values are the JSON spelling.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case goroutineLeak = "goroutine-leak"
        case heapGrowth = "heap-growth"
        case cpuHotspot = "cpu-hotspot"
        case gcPressure = "gc-pressure"
        case lockContention = "lock-contention"
        case blockingWait = "blocking-wait"
        case threadGrowth = "thread-growth"
        case schedulerBacklog = "scheduler-backlog"
        case gcPause = "gc-pause"
        case spawnStorm = "spawn-storm"
        case goroutineChurn = "goroutine-churn"
        /// A timer, ticker, context or response body that is never released (`lint`).
        case resourceLeak = "resource-leak"
        /// A mutex still held on a return path (`lint`).
        case lockLeak = "lock-leak"
    }

    /// How urgently a person should act. Ordered: critical < warning < info (most urgent first).
    public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
        case critical, warning, info

        var order: Int { self == .critical ? 0 : self == .warning ? 1 : 2 }
        /// More urgent first: `critical < warning < info`, so sorting ascending puts critical on top.
        public static func < (a: Severity, b: Severity) -> Bool { a.order < b.order }

        /// The severity a 0–100 score maps to when an analyzer has no stronger reason:
        /// from `DetectionThresholds.critical` (70) critical, from `.warning` (40) warning, else info.
        public static func forScore(_ score: Int, thresholds: DetectionThresholds = .standard) -> Severity {
            score >= thresholds.critical ? .critical : score >= thresholds.warning ? .warning : .info
        }
    }

    /// The shape of the problem.
    public var kind: Kind
    /// How urgently to act.
    public var severity: Severity
    /// 0–100: strength of the evidence times the size of the problem. Ranks findings of any kind.
    public var score: Int
    /// One sentence a tired engineer can act on: what is wrong and where
    /// (e.g. "Goroutines leak in main.(*Poller).watch: 1,204 blocked on chan send, +40/min").
    public var title: String
    /// The application code responsible (the first frame that is not runtime or standard library),
    /// when known.
    public var location: SourceSite?
    /// The numbers behind the finding.
    public var evidence: Evidence
    /// The concrete remedy for this shape of problem.
    public var hint: String
    /// Lint findings in the same function (`diagnose --source`); nil when no source was given or none matched.
    public var staticEvidence: [StaticEvidence]?
    /// Runtime findings in the same function (`lint --capture`); nil when no capture was given or none matched.
    public var runtimeEvidence: [RuntimeEvidence]?

    /// A finding; `score` is clamped to 0–100.
    public init(kind: Kind, severity: Severity, score: Int, title: String, location: SourceSite?,
                evidence: Evidence, hint: String) {
        self.kind = kind
        self.severity = severity
        self.score = max(0, min(100, score))
        self.title = title
        self.location = location
        self.evidence = evidence
        self.hint = hint
    }

    /// What the finding rests on, in numbers.
    public struct Evidence: Sendable, Hashable, Codable {
        /// The evidence in one or two sentences.
        public var summary: String
        /// Named measurements, e.g. `("inuse_space_bytes", 12_345_678)`, `("goroutines", 1204)`.
        /// Names are snake_case with the unit as a suffix where there is one.
        public var metrics: [Metric]
        /// The measured value per snapshot, oldest first, when the finding is about a trend.
        public var series: [Double]?
        /// What `series` measures (e.g. "goroutines", "inuse_space bytes").
        public var seriesUnit: String?
        /// Growth per minute of wall time, when snapshot times are known.
        public var perMinute: Double?
        /// A representative stack, innermost frame first, as `function (file:line)`.
        public var stack: [String]
        /// Where the evidence came from (file names, endpoints).
        public var sources: [String]

        /// Evidence with a summary and whatever numbers the analyzer has.
        public init(summary: String, metrics: [Metric] = [], series: [Double]? = nil, seriesUnit: String? = nil,
                    perMinute: Double? = nil, stack: [String] = [], sources: [String] = []) {
            self.summary = summary
            self.metrics = metrics
            self.series = series
            self.seriesUnit = seriesUnit
            self.perMinute = perMinute
            self.stack = stack
            self.sources = sources
        }
    }

    /// One named number.
    public struct Metric: Sendable, Hashable, Codable {
        /// snake_case, with the unit as a suffix where there is one (`inuse_space_bytes`).
        public var name: String
        /// The measurement, in the unit `name` states.
        public var value: Double
        /// A metric named `name`.
        public init(_ name: String, _ value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// A 0–100 score from any computed `Double`: clamped, rounded, and 0 for NaN or infinity.
    public static func score(_ value: Double) -> Int {
        value.isFinite ? Int(min(100, max(0, value)).rounded()) : 0
    }

    /// Severity first (critical first), then score (highest first), then title for a stable order.
    public static func ranked(_ findings: [Finding]) -> [Finding] {
        findings.sorted { a, b in
            if a.severity != b.severity { return a.severity < b.severity }
            if a.score != b.score { return a.score > b.score }
            return a.title < b.title
        }
    }
}
