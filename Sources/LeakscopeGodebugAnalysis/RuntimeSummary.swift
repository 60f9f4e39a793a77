import LeakscopeGodebug
import LeakscopeStatistics

/// What a GODEBUG log says about a Go program's memory, GC and scheduler, with a verdict for each.
///
/// ```swift
/// let summary = RuntimeSummary(try RuntimeLog.read(path: "gc.log"), source: "gc.log")
/// for finding in summary.findings { … }
/// ```
/// Trends use the last process run in the log (a log holding restarts is cut at the last one).
public struct RuntimeSummary: Sendable, Hashable, Codable {
    public enum Level: String, Sendable, Hashable, Codable, Comparable {
        case ok, warning, critical
        var order: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Level, b: Level) -> Bool { a.order < b.order }
    }

    /// A judgement and its reason in words.
    public struct Verdict: Sendable, Hashable, Codable {
        public var level: Level
        public var reason: String
        public init(_ level: Level, _ reason: String) {
            self.level = level
            self.reason = reason
        }
    }

    /// One point of a series: seconds since the program (gctrace) or the first schedtrace line started.
    public struct Point: Sendable, Hashable, Codable {
        public var seconds: Double
        public var value: Double
        public init(seconds: Double, value: Double) {
            self.seconds = seconds
            self.value = value
        }
    }

    public struct HeapTrend: Sendable, Hashable, Codable {
        public enum Shape: String, Sendable, Hashable, Codable {
            case steadyGrowth = "steady-growth"
            /// Flat or sawtooth: the live heap returns to the same level.
            case flat
            case shrinking
            /// Grew early, then levelled off (warm-up).
            case levelledOff = "levelled-off"
            case insufficient
        }
        public var shape: Shape
        public var cycles: Int
        public var spanSeconds: Double
        public var firstLiveMB: Int
        public var lastLiveMB: Int
        public var maxLiveMB: Int
        /// Least-squares slope of live heap against time, MiB per minute.
        public var slopeMBPerMinute: Double
        /// The same over the later half of the run.
        public var lateSlopeMBPerMinute: Double
        public var rSquared: Double
        /// Fitted growth over the run, MiB.
        public var growthMB: Double
        public var verdict: Verdict
    }

    public struct GCCPU: Sendable, Hashable, Codable {
        /// The runtime's own cumulative figure on the last line (`P%`, since the program started).
        public var cumulativePercent: Int
        /// Computed from the cycles' CPU phases over the last `windowSeconds` (idle marking excluded).
        public var recentPercent: Double?
        public var windowSeconds: Double
        public var verdict: Verdict
    }

    public struct GCFrequency: Sendable, Hashable, Codable {
        public var cycles: Int
        public var forced: Int
        public var perMinute: Double?
        public var spanSeconds: Double
        public var lastGoalMB: Int?
        public var verdict: Verdict
    }

    public struct Pauses: Sendable, Hashable, Codable {
        public var cycles: Int
        public var maxMilliseconds: Double
        /// The `gc N` of the longest pause.
        public var maxCycle: Int?
        public var p99Milliseconds: Double
        public var meanMilliseconds: Double
        /// Cycles (of those kept) over `RuntimeThresholds.pauseWarningMilliseconds`.
        public var slowCycles: Int
        public var verdict: Verdict
    }

    public struct Threads: Sendable, Hashable, Codable {
        public var samples: Int
        public var first: Int
        public var last: Int
        public var max: Int
        public var gomaxprocs: Int
        public var slopePerMinute: Double
        public var rSquared: Double
        public var verdict: Verdict
    }

    public struct Scheduler: Sendable, Hashable, Codable {
        public var samples: Int
        public var gomaxprocs: Int
        /// Runnable goroutines waiting (global + local queues).
        public var meanBacklog: Double
        public var medianBacklog: Double
        public var maxBacklog: Int
        /// Share of samples with no idle P and at least GOMAXPROCS goroutines waiting.
        public var backloggedShare: Double
        public var meanIdleProcs: Double
        /// Goroutines counted from scheddetail `G` lines (first, last), when present.
        public var goroutinesFirst: Int?
        public var goroutinesLast: Int?
        public var verdict: Verdict
    }

    /// The goroutine count from scheddetail `G` lines (dead ones excluded).
    public struct Goroutines: Sendable, Hashable, Codable {
        public var samples: Int
        public var first: Int
        public var last: Int
        public var max: Int
        public var spanSeconds: Double
        public var slopePerMinute: Double
        public var lateSlopePerMinute: Double
        public var rSquared: Double
        public var verdict: Verdict
    }

    public struct Scavenger: Sendable, Hashable, Codable {
        public var samples: Int
        public var forced: Int
        public var lastReleasedKiB: Int
        public var lastUtilPercent: Int
        public var totalWorkKiB: Int
    }

    /// Chart-ready series (at most `RuntimeSummary.maxSeriesPoints` points each).
    public struct Series: Sendable, Hashable, Codable {
        public var heapLiveMB: [Point] = []
        public var heapGoalMB: [Point] = []
        public var gcCPUPercent: [Point] = []
        public var pauseMilliseconds: [Point] = []
        public var threads: [Point] = []
        public var runQueue: [Point] = []
        public var idleProcs: [Point] = []
        public var goroutines: [Point] = []
    }

    public static let maxSeriesPoints = 240

    /// File name or endpoint the log came from (used in findings' sources).
    public var source: String
    public var heap: HeapTrend?
    public var gcCPU: GCCPU?
    public var gcFrequency: GCFrequency?
    public var pauses: Pauses?
    public var threads: Threads?
    public var scheduler: Scheduler?
    /// Present when the log has `scheddetail=1` samples.
    public var goroutines: Goroutines?
    public var scavenger: Scavenger?
    public var series = Series()
    public var lines: LineCounts
    public var gcTotals: GCTotals
    /// Process runs found in the log (restarts + 1); trends use the last.
    public var runs: Int

    /// The worst verdict of all.
    public var level: Level {
        [heap?.verdict, gcCPU?.verdict, gcFrequency?.verdict, pauses?.verdict, threads?.verdict, scheduler?.verdict,
         goroutines?.verdict]
            .compactMap { $0?.level }.max() ?? .ok
    }

    public init(_ trace: RuntimeTrace, source: String = "<input>") {
        self.source = source
        lines = trace.lines
        gcTotals = trace.gcTotals
        runs = trace.gcTotals.restarts + 1
        let cycles = Self.lastRun(trace.gcCycles) { previous, next in
            next.number <= previous.number || next.seconds < previous.seconds
        }
        let samples = Self.lastRun(trace.schedSamples) { previous, next in next.milliseconds < previous.milliseconds }
        if !cycles.isEmpty {
            heap = Self.heapTrend(cycles)
            let cpu = Self.gcCPU(cycles)
            gcCPU = cpu
            gcFrequency = Self.frequency(cycles, totals: trace.gcTotals,
                                         cpuPercent: max(Double(cpu.cumulativePercent), cpu.recentPercent ?? 0))
            pauses = Self.pauses(cycles, totals: trace.gcTotals)
            series.heapLiveMB = Self.points(cycles.map { Point(seconds: $0.seconds, value: Double($0.heapLiveMB)) })
            series.heapGoalMB = Self.points(cycles.compactMap { c in c.goalMB.map { Point(seconds: c.seconds, value: Double($0)) } })
            series.gcCPUPercent = Self.points(cycles.map { Point(seconds: $0.seconds, value: Double($0.cpuPercent)) })
            series.pauseMilliseconds = Self.points(cycles.map { Point(seconds: $0.seconds, value: $0.pauseMilliseconds) }, useMax: true)
        }
        if !samples.isEmpty {
            threads = Self.threads(samples)
            scheduler = Self.scheduler(samples)
            goroutines = Self.goroutines(samples)
            let seconds = { (s: SchedSample) in Double(s.milliseconds) / 1000 }
            series.threads = Self.points(samples.map { Point(seconds: seconds($0), value: Double($0.threads)) }, useMax: true)
            series.runQueue = Self.points(samples.map { Point(seconds: seconds($0), value: Double($0.runQueueTotal)) })
            series.idleProcs = Self.points(samples.map { Point(seconds: seconds($0), value: Double($0.idleProcs)) })
            series.goroutines = Self.points(samples.compactMap { s in s.goroutines.map { Point(seconds: seconds(s), value: Double($0)) } })
        }
        if !trace.scavenges.isEmpty {
            let scavenges = trace.scavenges
            scavenger = Scavenger(samples: scavenges.count, forced: scavenges.filter(\.forced).count,
                                  lastReleasedKiB: scavenges.last?.releasedKiB ?? 0,
                                  lastUtilPercent: scavenges.last?.utilPercent ?? 0,
                                  totalWorkKiB: scavenges.reduce(0) { $0 &+ $1.workKiB &+ ($1.eagerKiB ?? 0) })
        }
    }

    static func points(_ points: [Point], useMax: Bool = false) -> [Point] {
        RuntimeSummary.downsample(points, to: maxSeriesPoints, useMax: useMax)
    }

    /// The samples after the last place where `restarted(previous, next)` holds.
    static func lastRun<Sample>(_ samples: [Sample], restarted: (Sample, Sample) -> Bool) -> [Sample] {
        guard samples.count > 1 else { return samples }
        var start = 0
        for index in 1..<samples.count where restarted(samples[index - 1], samples[index]) { start = index }
        return Array(samples[start...])
    }
}
