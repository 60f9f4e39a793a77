/// The limits behind every runtime-log verdict, in one place (docs/GCTRACE.md explains each).
public enum RuntimeThresholds {
    // MARK: Live heap (the `h2` of `h0->h1->h2 MB` after each GC)

    /// Cycles needed before a heap trend is judged.
    public static let heapMinimumCycles = 5
    /// The least-squares line must explain this much of the variance…
    public static let heapGrowthRSquared = 0.6
    /// …grow by at least this many MiB over the run (gctrace truncates to whole MiB)…
    public static let heapGrowthMinimumMB = 4.0
    /// …and by at least this fraction of where it started.
    public static let heapGrowthMinimumFraction = 0.25
    /// The later half of the run must still grow at this fraction of the overall slope; a heap that
    /// grew while caches warmed and then stayed flat is not a leak.
    public static let heapLateSlopeFraction = 0.3
    /// Critical when the live heap at least doubled on a line this straight.
    public static let heapCriticalFraction = 1.0
    public static let heapCriticalRSquared = 0.85

    // MARK: GC CPU (idle marking excluded, as the runtime's own `P%`)

    public static let gcCPUWarningPercent = 10.0
    public static let gcCPUCriticalPercent = 25.0
    /// The recent window for the GC CPU share.
    public static let gcCPURecentWindowSeconds = 60.0

    // MARK: GC frequency

    /// Many GCs per second with low CPU share are cheap; this many per minute is worth a look.
    public static let gcFrequencyWarningPerMinute = 600.0
    /// …when GC also takes at least this share of CPU.
    public static let gcFrequencyCPUPercent = 5.0

    // MARK: Stop-the-world pauses (sweep termination + mark termination, wall ms)

    public static let pauseWarningMilliseconds = 10.0
    public static let pauseCriticalMilliseconds = 50.0
    /// A verdict needs this share of cycles over the limit (and at least `pauseMinimumSlowCycles`)…
    public static let pauseSlowShare = 0.05
    public static let pauseMinimumSlowCycles = 3
    /// …or one pause at least this long.
    public static let pauseSingleWarningMilliseconds = 100.0
    public static let pauseSingleCriticalMilliseconds = 500.0

    // MARK: Threads (schedtrace `threads=`)

    /// Warning when threads reach max(this, `threadsPerProcWarning` × GOMAXPROCS)…
    public static let threadsWarning = 50
    public static let threadsPerProcWarning = 10
    /// …or grow steadily by at least this many.
    public static let threadsGrowthMinimum = 20
    /// Critical at this many (Go's default limit, `debug.SetMaxThreads`, is 10,000 and crashes the program).
    public static let threadsCritical = 2000

    // MARK: Goroutines (scheddetail `G` lines; schedtrace alone prints no goroutine count)

    /// Detailed samples needed before the goroutine count is judged.
    public static let goroutinesMinimumSamples = 5
    /// Steady growth: R² ≥ `heapGrowthRSquared`, at least this many more goroutines…
    public static let goroutinesGrowthMinimum = 50
    /// …and this fraction of the starting count, still growing in the later half (`heapLateSlopeFraction`).
    public static let goroutinesGrowthMinimumFraction = 0.25
    /// Critical when the count grew this many times over on a line with R² ≥ `heapCriticalRSquared`.
    public static let goroutinesCriticalFactor = 10.0

    // MARK: Run queues (global + local vs GOMAXPROCS)

    /// Samples needed before the scheduler is judged.
    public static let schedMinimumSamples = 5
    /// A sample is backlogged when no P is idle and at least GOMAXPROCS goroutines wait to run.
    /// Warning when this share of samples is backlogged; critical when, in addition, the median
    /// backlog is at least `backlogCriticalPerProc` × GOMAXPROCS.
    public static let backlogShare = 0.5
    public static let backlogCriticalPerProc = 8.0
}
