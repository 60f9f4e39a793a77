/// What a Go program's `GODEBUG` runtime tracing printed on stderr: GC cycles (`gctrace=1`), scavenger
/// samples (`scavtrace=1`, and the old `scvg` lines), scheduler samples (`schedtrace=N`, with
/// `scheddetail=1` P/M/G lines folded into them), and counts of everything else.
///
/// Memory is bounded: each sample list keeps at most `RuntimeTrace.maxKeptSamples` entries. When a
/// list would overflow, every second kept sample is dropped and from then on only every second new
/// one is kept (and so on), so the kept samples still span the whole run evenly. Totals such as
/// `gcTotals` are computed over every line, kept or not.
public struct RuntimeTrace: Sendable, Hashable, Codable {
    /// The most samples of one kind kept in memory (see the type's documentation).
    public static let maxKeptSamples = 8192

    public var gcCycles: [GCCycle] = []
    public var scavenges: [ScavengeSample] = []
    public var legacyScavenges: [LegacyScavengeSample] = []
    public var schedSamples: [SchedSample] = []
    /// Aggregates over every GC line seen, including cycles not kept in `gcCycles`.
    public var gcTotals = GCTotals()
    public var lines = LineCounts()

    public init() {}

    /// True when at least one runtime line was recognised.
    public var isEmpty: Bool { lines.runtime == 0 }
}

/// One `gctrace=1` line: `gc 12 @3.456s 4%: 0.018+1.2+0.003 ms clock, 0.07+0.3/1.1/2.0+0.012 ms cpu,
/// 4->5->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 4 P (forced)`.
public struct GCCycle: Sendable, Hashable, Codable {
    /// `gc N`: the runtime's GC counter (`memstats.numgc`).
    public var number: Int
    /// `@S s`: seconds since the runtime started, at the start of the cycle.
    public var seconds: Double
    /// `P%`: share of CPU spent in GC since the program started (idle marking excluded), truncated.
    public var cpuPercent: Int
    /// Wall-clock phases in milliseconds: stop-the-world sweep termination, concurrent mark,
    /// stop-the-world mark termination. (Go 1.5's five phases are folded: first, middle sum, last.)
    public var clockSweepTermination: Double
    public var clockMark: Double
    public var clockMarkTermination: Double
    /// CPU phases in milliseconds: sweep termination, mark assist, background mark
    /// (dedicated + fractional), idle mark, mark termination.
    public var cpuSweepTermination: Double
    public var cpuAssist: Double
    public var cpuBackground: Double
    public var cpuIdle: Double
    public var cpuMarkTermination: Double
    /// `h0->h1->h2 MB`: heap at GC start, at GC end, and live (marked) heap. MiB, truncated.
    public var heapStartMB: Int
    public var heapEndMB: Int
    public var heapLiveMB: Int
    /// `G MB goal`.
    public var goalMB: Int?
    /// `S MB stacks` and `G MB globals` (absent in older runtimes).
    public var stacksMB: Int?
    public var globalsMB: Int?
    /// `N P`: GOMAXPROCS during the cycle.
    public var procs: Int
    /// `(forced)`: started by `runtime.GC()` (or `debug.FreeOSMemory`).
    public var forced: Bool
    /// Go 1.27's `(checking for goroutine leaks)`: the cycle ran the goroutine leak detector.
    public var checkedGoroutineLeaks: Bool
    /// 1-based line number in the input.
    public var line: Int

    /// Stop-the-world wall time of the cycle: sweep termination plus mark termination, ms.
    public var pauseMilliseconds: Double { clockSweepTermination + clockMarkTermination }
    /// GC CPU time that took CPU away from the program (idle marking is free), ms.
    public var chargedCPUMilliseconds: Double { cpuSweepTermination + cpuAssist + cpuBackground + cpuMarkTermination }
}

/// Aggregates over every GC line, so that capped sample lists never distort counts and extremes.
public struct GCTotals: Sendable, Hashable, Codable {
    public var cycles = 0
    public var forced = 0
    public var pauseSumMilliseconds = 0.0
    public var pauseMaxMilliseconds = 0.0
    /// The `gc N` number of the cycle with the longest pause.
    public var pauseMaxCycle: Int?
    /// How often the `gc N` counter or the time went backwards: the log holds several process runs.
    public var restarts = 0
    public init() {}
}

/// One `scavtrace=1` line. Go 1.19: `scav 12 KiB work, 34 KiB total, 56% util`; Go 1.27:
/// `scav 2808 KiB work (bg), 0 KiB work (eager), 3512 KiB now, 46% util`; either with ` (forced)` or
/// ` [controller reset]`. Older runtimes put a generation number after `scav`.
public struct ScavengeSample: Sendable, Hashable, Codable {
    /// Memory returned to the OS since the last line, by the background scavenger, KiB.
    public var workKiB: Int
    /// Memory returned eagerly (allocation path), KiB; Go 1.27 form only.
    public var eagerKiB: Int?
    /// Memory currently returned to the OS (`KiB now`, or `KiB total` in older forms), KiB.
    public var releasedKiB: Int
    /// Heap in use as a share of retained heap memory, percent.
    public var utilPercent: Int
    public var forced: Bool
    public var controllerReset: Bool
    public var line: Int
}

/// An old `gctrace` scavenger line (Go ≤ 1.12): `scvg3: inuse: 4, idle: 1, sys: 5, released: 0, consumed: 5 (MB)`.
public struct LegacyScavengeSample: Sendable, Hashable, Codable {
    public var inuseMB: Int
    public var idleMB: Int
    public var sysMB: Int
    public var releasedMB: Int
    public var consumedMB: Int
    public var line: Int
}

/// One `schedtrace=N` line: `SCHED 1004ms: gomaxprocs=4 idleprocs=4 threads=9 spinningthreads=0
/// needspinning=0 idlethreads=4 runqueue=0 [ 0 0 0 0 ] schedticks=[ … ]` (older runtimes: no
/// `needspinning`, `[0 0 0 0]`, no `schedticks`). With `scheddetail=1` the run queues and the
/// goroutine and thread counts come from the following `P`, `M` and `G` lines.
public struct SchedSample: Sendable, Hashable, Codable {
    /// Milliseconds since the first schedtrace line the runtime printed.
    public var milliseconds: Int
    public var gomaxprocs: Int
    public var idleProcs: Int
    public var threads: Int
    public var spinningThreads: Int
    public var needSpinning: Int?
    public var idleThreads: Int
    /// Goroutines in the global run queue.
    public var globalRunQueue: Int
    /// Sum of the per-P local run queues.
    public var localRunQueueTotal: Int
    /// The per-P local run queue lengths, at most `SchedSample.maxKeptProcs` of them.
    public var localRunQueues: [Int]
    /// Sum of the per-P `schedticks` (cumulative scheduling count), when printed.
    public var schedTicksTotal: Int?
    /// Whether this sample came with `scheddetail=1` lines.
    public var detailed: Bool
    /// scheddetail: `G` lines whose status is not dead (6) or dead-extra (11), i.e. goroutines.
    public var goroutines: Int?
    /// scheddetail: `M` lines (threads known to the runtime).
    public var machines: Int?
    public var line: Int

    /// Per-P queue lengths beyond this many are summed but not kept.
    public static let maxKeptProcs = 256

    /// Runnable goroutines waiting for a P: global plus local queues.
    public var runQueueTotal: Int {
        let (sum, overflow) = globalRunQueue.addingReportingOverflow(localRunQueueTotal)
        return overflow ? Int.max : sum
    }
}

/// What the lines of the input were.
public struct LineCounts: Sendable, Hashable, Codable {
    public var total = 0
    /// Lines recognised as runtime output (GC, scavenger, scheduler, scheddetail, `GC forced`, `scan:`).
    public var runtime = 0
    /// Ordinary application lines (everything without a runtime marker).
    public var ignored = 0
    /// Lines with a runtime marker whose rest did not parse (cut, interleaved with other output, or
    /// numbers too large); the first is kept in `firstMalformed`.
    public var malformed = 0
    /// Lines longer than `RuntimeLogParser.maxLineBytes`: only their head was examined.
    public var overlong = 0
    /// Samples dropped to keep memory bounded (see `RuntimeTrace`).
    public var droppedSamples = 0
    /// `SCHED` lines read (kept or thinned out).
    public var schedSamples = 0
    /// `scav` and `scvg` lines read (kept or thinned out).
    public var scavenger = 0
    /// `scheddetail=1` P, M and G lines.
    public var schedDetail = 0
    /// `GC forced` lines (sysmon's periodic forced GC).
    public var periodicGCForced = 0
    /// `gctrace=2` `scan:` statistics lines.
    public var scanStatistics = 0
    /// Line number and head of the first malformed runtime line.
    public var firstMalformed: String?
    /// Head of the first non-empty line of the input, for error messages.
    public var firstLine: String?
    public init() {}
}
