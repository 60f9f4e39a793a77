/// Every threshold the lifecycle findings use, in one place.
public struct LifecycleThresholds: Sendable, Hashable {
    /// A site is a leak suspect when at least this many of the goroutines it created during the trace
    /// are still alive and waiting when the trace ends.
    public var leakMinimumBlocked = 3
    /// … and at most this fraction of the goroutines it created ended (healthy sites' goroutines end).
    public var leakMaximumEndedFraction = 0.5
    /// … and the oldest of them has waited at least this share of the trace window (a goroutine that
    /// parked a moment before the end is not evidence).
    public var leakMinimumWaitShare = 0.25
    /// Blocked-at-end counts at or above this make a leak critical (below: warning).
    public var leakCriticalBlocked = 50
    /// A site spawns a storm when this many of its goroutines were alive at once…
    public var stormPeakAlive = 1_000
    /// … and it created them at this rate or faster, per second of trace.
    public var stormCreationRate = 1_000.0
    /// A site churns when it creates goroutines at this rate or faster, per second of trace…
    public var churnCreationRate = 10_000.0
    /// … and the median lifetime of those that ended is at most this, in seconds.
    public var churnMaximumMedianLifetime = 0.001

    /// Goroutines that existed before the trace are reported when at least this many of one site wait
    /// in application code…
    public var preExistingMinimumWaiting = 3
    /// … through at least this share of the trace window (their wait is at least the window: a lower bound).
    public var preExistingWaitShare = 0.9
    /// At or above this many the finding is a warning, below it is info (worker pools wait like this too).
    public var preExistingWarningWaiting = 50

    /// The defaults above.
    public init() {}
}
