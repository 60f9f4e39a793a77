import LeakscopeFindings

/// What a trace says about goroutine lifecycles: totals, one row per creation site, and findings.
public struct LifecycleReport: Sendable, Codable {
    /// Findings, ranked (`Finding.ranked`).
    public var findings: [Finding]
    /// Totals over the trace.
    public var goroutines: Totals
    /// One row per creation site, most goroutines alive at the end first.
    public var sites: [Site]
    /// Seconds from the first to the last event.
    public var windowSeconds: Double
    /// Generations (about one second each) in the trace.
    public var generations: Int
    /// Events read.
    public var events: Int
    /// The format version, such as `go1.26`.
    public var traceVersion: String

    /// Counts over all goroutines the trace saw.
    public struct Totals: Sendable, Codable, Hashable {
        /// Created during the trace.
        public var created: Int
        /// Ended during the trace (pre-existing ones included).
        public var ended: Int
        /// Alive when the trace ended (pre-existing ones included).
        public var alive: Int
        /// Alive when the trace started (first seen through a status event).
        public var preExisting: Int
    }

    /// Goroutines grouped by where they were created.
    public struct Site: Sendable, Codable, Hashable {
        /// The application function whose `go` statement created them (`main.handleRequest`), or for
        /// goroutines that existed before the trace, the function they were seen in.
        public var function: String
        /// File and line of that frame.
        public var file: String
        public var line: Int
        /// The function the goroutines run (their entry point).
        public var entry: String
        /// True for goroutines that existed before the trace started (their creation is not in it).
        public var preExisting: Bool
        public var created: Int
        public var ended: Int
        public var alive: Int
        /// Most of them alive at one time.
        public var peakAlive: Int
        /// Median lifetime of those that ended, in seconds.
        public var medianLifetimeSeconds: Double?
        /// Creations per generation, oldest first.
        public var createdPerGeneration: [Int]
        /// Time spent waiting, by reason, most first.
        public var blocked: [BlockTime]
        /// Completed waits by the application function they waited in, most time first.
        public var waits: [WaitPlace] = []
        /// Who woke this site's goroutines (`GoUnblock` by a goroutine of another site, or by none:
        /// the runtime), most wake-ups first.
        public var wokenBy: [Waker] = []
        /// Where the ones alive at the end are, most first.
        public var atEnd: [EndState]
    }

    /// Time a site's goroutines spent waiting for one reason.
    public struct BlockTime: Sendable, Codable, Hashable {
        /// The runtime's reason (`chan send`, `select`, `sync`, `network`, `sleep`, …).
        public var reason: String
        /// Completed waits.
        public var count: Int
        /// Their total, in seconds.
        public var seconds: Double

        public init(reason: String, count: Int, seconds: Double) {
            self.reason = reason
            self.count = count
            self.seconds = seconds
        }
    }

    /// Completed waits of a site's goroutines in one function.
    public struct WaitPlace: Sendable, Codable, Hashable {
        /// The first application frame of the wait stack (`main.queryInventory`), else its first frame.
        public var function: String
        /// Completed waits there.
        public var count: Int
        /// Their total, in seconds.
        public var seconds: Double
    }

    /// The goroutines of one creation site that woke a site's goroutines.
    public struct Waker: Sendable, Codable, Hashable {
        /// The waking site's function (as `Site.function`), or `runtime` when no goroutine woke them (a
        /// timer, the network poller, the scheduler).
        public var function: String
        /// The waking goroutines' entry function ("" for the runtime).
        public var entry: String
        /// True when the waking site is one of goroutines that existed before the trace.
        public var preExisting: Bool
        /// Wake-ups.
        public var count: Int
    }

    /// Goroutines of one site alive at the end in one state at one place.
    public struct EndState: Sendable, Codable, Hashable {
        /// `waiting`, `runnable`, `running` or `syscall`.
        public var state: String
        /// The wait reason for `waiting` ("" when the trace does not say).
        public var reason: String
        /// The application function they wait in (from the stack of their last block), when known.
        public var function: String
        public var file: String
        public var line: Int
        public var count: Int
        /// How long the longest of them had been in this state at the end, in seconds (for goroutines
        /// seen only through status events, since the trace started).
        public var oldestSeconds: Double
        /// The wait stack of the oldest of them (the lowest stack ID among equally old), innermost first, as `function (file:line)`.
        public var stack: [String]
    }
}
