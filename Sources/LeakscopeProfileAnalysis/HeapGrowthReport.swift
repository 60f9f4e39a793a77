import LeakscopeFindings
import LeakscopeStatistics

/// What `HeapGrowthAnalysis` found in a series of heap (or allocs) profiles.
public struct HeapGrowthReport: Sendable, Codable {
    /// Per-snapshot totals, oldest first (for charts).
    public var snapshots: [HeapSnapshotTotals]
    /// Allocation sites, largest growth first (at most `HeapGrowthAnalysis.siteLimit`).
    public var sites: [HeapSite]
    /// Sites seen in total (before the limit).
    public var siteCount: Int
    /// Wall time from the first to the last snapshot, when both times are known and differ.
    public var elapsedSeconds: Double?
    /// Trend of the whole heap's in-use bytes.
    public var totalTrend: Trend
    /// Ranked `.heapGrowth` findings.
    public var findings: [Finding]
    /// What the analysis could not do and why (missing sample types, unknown times, …).
    public var notes: [String]
}

/// One heap profile's totals.
public struct HeapSnapshotTotals: Sendable, Hashable, Codable {
    public var name: String
    /// Seconds since the Unix epoch, when known.
    public var time: Double?
    public var inuseBytes: Double
    public var inuseObjects: Double
}

/// In-use memory attributed to one allocation site, across the snapshots.
public struct HeapSite: Sendable, Hashable, Codable {
    /// The first application frame of the allocating stacks (function, file, line); for stacks
    /// with no application frame, their innermost frame.
    public var location: SourceSite
    /// Whether `location` is application code.
    public var isApplication: Bool
    /// The frame just inside `location` in the heaviest stack (e.g. `bytes.growSlice`,
    /// `runtime.mapassign_faststr`, `fmt.Sprintf`), nil when the application frame allocated itself
    /// (Go hides runtime allocator frames in heap profiles).
    public var allocator: String?
    /// In-use bytes per snapshot, oldest first (0 where the site was absent).
    public var inuseBytes: [Double]
    /// In-use objects per snapshot.
    public var inuseObjects: [Double]
    /// Last minus first snapshot.
    public var deltaBytes: Double
    public var deltaObjects: Double
    /// Growth per minute of wall time (Theil–Sen slope for ≥ 3 snapshots, else delta over elapsed).
    public var bytesPerMinute: Double?
    public var trend: Trend
    /// The heaviest stack through this site in the last snapshot it appears in, innermost first,
    /// as `function (file:line)`.
    public var stack: [String]
}
