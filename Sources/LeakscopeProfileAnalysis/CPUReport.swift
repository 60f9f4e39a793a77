import LeakscopeFindings

/// What `CPUAnalysis` found in one CPU profile.
public struct CPUReport: Sendable, Codable {
    /// The profile's name (file or endpoint).
    public var name: String
    /// CPU time in the profile, seconds.
    public var cpuSeconds: Double
    /// Wall time the profile covers (`duration_nanos`), seconds, when set.
    public var durationSeconds: Double?
    /// Cores used on average: `cpuSeconds / durationSeconds`, when the duration is known.
    public var coresUsed: Double?
    /// Samples in the profile (the `samples/count` values, else the number of sample records).
    public var samples: Int
    /// Application functions by attributed CPU (each sample charged to its first application frame),
    /// highest first (at most `CPUAnalysis.functionLimit`).
    public var hotFunctions: [CPUHotFunction]
    /// Application functions by cumulative share (each sample counted once per distinct application
    /// function in its stack), highest first.
    public var cumulative: [CPUFunctionShare]
    /// Share of CPU with no application frame in the stack (runtime, GC, idle network poller …).
    public var unattributedShare: Double
    /// GC and allocation cost.
    public var gc: CPUGCShare
    /// Ranked `.cpuHotspot` and `.gcPressure` findings.
    public var findings: [Finding]
    /// What the analysis could not do and why.
    public var notes: [String]
}

/// A function and a share of the profile's CPU time.
public struct CPUFunctionShare: Sendable, Hashable, Codable {
    public var function: String
    public var file: String
    public var seconds: Double
    /// Fraction of the profile's CPU time, 0…1.
    public var share: Double
}

/// An application function and the CPU charged to it.
public struct CPUHotFunction: Sendable, Hashable, Codable {
    /// The function, with the line its samples hit most.
    public var location: SourceSite
    /// CPU charged to this function as the first application frame, seconds and share of the profile.
    public var attributedSeconds: Double
    public var attributedShare: Double
    /// Share of the profile with this function anywhere in the stack.
    public var cumulativeShare: Double
    /// Of the attributed time, the share spent in the function's own code (it was the leaf).
    public var selfShare: Double
    /// Of the attributed time, the direct non-application callees (e.g. `regexp.MustCompile`),
    /// each with its share of the attributed time, highest first.
    public var callees: [CPUFunctionShare]
    /// The heaviest stack charged to it, innermost first, as `function (file:line)`.
    public var stack: [String]
    /// Of the attributed time, the share whose stack shows each `CPUCategories.Cause` (by raw value).
    /// Internal: not encoded.
    var causeShares: [Double] = []

    enum CodingKeys: String, CodingKey {
        case location, attributedSeconds, attributedShare, cumulativeShare, selfShare, callees, stack
    }
}

/// The CPU spent on garbage collection and allocation, as fractions of the profile's CPU.
public struct CPUGCShare: Sendable, Hashable, Codable {
    /// `runtime.gcBgMarkWorker` (background marking: `gcDrain*`, `scanobject` under it).
    public var markWorkers: Double
    /// `runtime.gcAssistAlloc*`: allocating goroutines made to help marking.
    public var assists: Double
    /// `runtime.bgsweep`, `runtime.sweepone` and other sweeping.
    public var sweep: Double
    /// Other GC work outside those (`gcStart`, mark termination, `markroot`, `scanobject` elsewhere).
    public var otherGC: Double
    /// `runtime.mallocgc*` outside GC work: allocating itself.
    public var malloc: Double
    /// Object scanning and marking (`gcDrain*`, `scanobject`/`scanObject`, `scanSpan`, `scanblock`,
    /// `greyobject`, `markroot*`) by whoever does it: overlaps `markWorkers`, `assists` and `otherGC`.
    public var scanning: Double = 0

    /// Everything but `malloc`.
    public var gc: Double { markWorkers + assists + sweep + otherGC }
    /// GC plus allocation.
    public var total: Double { gc + malloc }
}
