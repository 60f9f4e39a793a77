import LeakscopeFindings

/// What `ContentionAnalysis` found in Go's mutex and block profiles.
public struct ContentionReport: Sendable, Codable {
    /// Wall time the delays are divided by, seconds: the time between the first and the last
    /// snapshot, or a single profile's own duration (`?seconds=N` delta profiles); nil when neither
    /// is known (then the numbers are totals since the process started).
    public var elapsedSeconds: Double?
    /// How `elapsedSeconds` was obtained, in words.
    public var rateBasis: String
    /// Mutex profile sites: the application code that *released* a contended lock (the holder),
    /// largest delay first.
    public var holders: [ContentionSite]
    /// Block profile sites: where goroutines waited, largest delay first.
    public var waiters: [ContentionSite]
    /// Ranked `.lockContention` and `.blockingWait` findings.
    public var findings: [Finding]
    public var notes: [String]
}

/// What a goroutine waited on, from the frames inside the application frame.
public enum ContentionWaitKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Mutex profile: the Unlock that ended other goroutines' wait.
    case lockRelease = "lock-release"
    case mutex
    case rwMutex = "rw-mutex"
    case chanReceive = "chan-receive"
    case chanSend = "chan-send"
    case select
    case waitGroup = "wait-group"
    case cond
    case other

    /// Waiting for a lock (contention), as opposed to waiting for work or for other goroutines.
    public var isLock: Bool { self == .mutex || self == .rwMutex || self == .lockRelease }

    var phrase: String {
        switch self {
        case .lockRelease: "a lock this code releases"
        case .mutex: "a sync.Mutex"
        case .rwMutex: "a sync.RWMutex"
        case .chanReceive: "a channel receive"
        case .chanSend: "a channel send"
        case .select: "a select"
        case .waitGroup: "a sync.WaitGroup"
        case .cond: "a sync.Cond"
        case .other: "something else"
        }
    }
}

/// Delay accumulated at one site over the measured window.
public struct ContentionSite: Sendable, Hashable, Codable {
    /// The first application frame (for stacks without one, the innermost frame).
    public var location: SourceSite
    public var isApplication: Bool
    public var kind: ContentionWaitKind
    /// The frame just inside `location`, e.g. `sync.(*Mutex).Lock`, `runtime.chanrecv2`.
    public var call: String?
    /// Contention events and delay in the window (last minus first snapshot, or one profile's totals).
    public var contentions: Double
    public var delaySeconds: Double
    /// Delay per second of wall time: how many goroutines were waiting here on average.
    public var averageWaiting: Double?
    public var contentionsPerSecond: Double?
    /// The heaviest stack, innermost first.
    public var stack: [String]
}
