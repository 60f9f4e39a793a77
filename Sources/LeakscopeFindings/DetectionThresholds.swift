/// Every threshold leak detection decides by, in one place: the goroutine analysis, `diagnose`,
/// and later the watch daemon and the CI gate read these and nothing else. Scores are 0–100;
/// fractions are 0–1. `standard` is what leakscope ships; docs/DETECTION.md says how each value
/// was chosen and what it costs to move it.
public struct DetectionThresholds: Sendable, Hashable {
    /// Score from which a finding is critical.
    public var critical: Int
    /// Score from which a finding is a warning (and a goroutine bucket a suspect).
    public var warning: Int

    /// Fewest goroutines of one kind that one dump calls a pile: fewer could be requests in flight.
    public var minimumPile: Int
    /// Share of a kind whose creating call has returned (its creator exited, or no longer runs
    /// the function that started it) for the kind to count as orphaned.
    public var orphanShare: Double
    /// Fewest distinct creator goroutines of an orphaned pile: one creator is a pool started once.
    public var minimumCreators: Int
    /// The oldest member of a pile must be older than this share of the dump's goroutine-ID
    /// range (IDs are handed out in creation order): old goroutines still alive among new ones.
    /// Sessions with a TTL and long polls only hold recent IDs.
    public var oldIDShare: Double
    /// The newest member must be younger than this share of the ID range for the pile to be
    /// still growing.
    public var recentIDShare: Double

    /// Share of a kind's goroutines in one dump still there, same ID, in the next one for the
    /// kind to count as persistent; turnover below it is healthy.
    public var persistenceShare: Double

    /// Fewest `net/http` client read loops waiting for their response body to be read or closed
    /// before the wait is a leak of response bodies rather than responses being read.
    public var bodyWaitPile: Int

    /// Heap: growth of one site between two snapshots, as a multiple of its first size, that
    /// deserves a warning asking for a third snapshot.
    public var heapTwoSnapshotGrowth: Double

    /// The values leakscope ships.
    public static let standard = DetectionThresholds(
        critical: 70, warning: 40, minimumPile: 5, orphanShare: 0.5, minimumCreators: 2,
        oldIDShare: 0.5, recentIDShare: 0.25, persistenceShare: 0.8, bodyWaitPile: 16,
        heapTwoSnapshotGrowth: 4)

    /// Thresholds from explicit values; see the properties.
    public init(critical: Int, warning: Int, minimumPile: Int, orphanShare: Double, minimumCreators: Int,
                oldIDShare: Double, recentIDShare: Double, persistenceShare: Double, bodyWaitPile: Int,
                heapTwoSnapshotGrowth: Double) {
        self.critical = critical
        self.warning = warning
        self.minimumPile = minimumPile
        self.orphanShare = orphanShare
        self.minimumCreators = minimumCreators
        self.oldIDShare = oldIDShare
        self.recentIDShare = recentIDShare
        self.persistenceShare = persistenceShare
        self.bodyWaitPile = bodyWaitPile
        self.heapTwoSnapshotGrowth = heapTwoSnapshotGrowth
    }
}
