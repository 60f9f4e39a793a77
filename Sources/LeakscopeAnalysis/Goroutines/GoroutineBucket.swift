import LeakscopeGoroutines

/// A place in source code: a frame or a `created by` line.
public struct SourceSite: Hashable, Sendable, Codable {
    public var function: String
    public var file: String
    public var line: Int

    public init(function: String, file: String, line: Int) {
        self.function = function
        self.file = file
        self.line = line
    }

    /// `function (file:line)`, with the file shortened to its last two path elements.
    public var short: String { "\(function) (\(SourceSite.shortFile(file)):\(line))" }

    static func shortFile(_ file: String) -> String {
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count <= 2 ? file : parts.suffix(2).joined(separator: "/")
    }
}

/// Minimum, median and maximum of the `N minutes` wait ages in a bucket (0 when not printed).
public struct WaitMinutes: Hashable, Sendable, Codable {
    public var min: Int
    public var median: Int
    public var max: Int
    public init(min: Int, median: Int, max: Int) {
        self.min = min
        self.median = median
        self.max = max
    }
}

/// One distinct label set seen in a bucket, with how many goroutines carried it.
public struct LabelSetCount: Hashable, Sendable {
    /// Key-value pairs sorted by key.
    public var labels: [(key: String, value: String)]
    public var count: Int

    public static func == (a: LabelSetCount, b: LabelSetCount) -> Bool {
        a.count == b.count && a.labels.map(\.key) == b.labels.map(\.key) && a.labels.map(\.value) == b.labels.map(\.value)
    }
    public func hash(into hasher: inout Hasher) {
        for pair in labels { hasher.combine(pair.key); hasher.combine(pair.value) }
        hasher.combine(count)
    }
}

/// Goroutines of one dump with the same stack, state and creation site.
public struct GoroutineBucket: Sendable {
    /// Identity of the bucket across dumps of one process: state, frames and creator as text.
    public var key: String
    /// The state exactly as printed (without `(leaked)`).
    public var state: String
    public var kind: BlockingKind
    /// How many goroutines (count-profile records count with their weight).
    public var count: Int
    public var waitMinutes: WaitMinutes
    /// The first frame outside the standard library (see `GoroutineDump.blockingSite(of:)`).
    public var blockingSite: SourceSite?
    public var createdBy: SourceSite?
    /// The frames, innermost first.
    public var stack: [SourceSite]
    /// Distinct label sets, most common first.
    public var labelSets: [LabelSetCount]
    /// Goroutines carrying labels.
    public var labelled: Int
    /// Goroutines marked `(leaked)` in this dump or in a matching goroutineleak profile.
    public var leaked: Int
    /// Goroutine IDs in dump order (empty for count and proto profiles, which have none).
    public var ids: [Int64]
    /// The healthy long-lived shape this bucket has, if any.
    public var healthyShape: HealthyShape?
    /// Set when several dumps were analysed.
    public var growth: BucketGrowth?
    /// Set when the evidence makes this bucket a leak suspect.
    public var suspect: Suspect?

    /// A few IDs to look up in the dump.
    public var exampleIDs: ArraySlice<Int64> { ids.prefix(5) }
}

extension GoroutineBucket {
    /// Groups a dump's goroutines by identical stack, state and creation site, in one pass.
    public static func buckets(of dump: GoroutineDump) -> [GoroutineBucket] {
        struct Key: Hashable { var stack: Int32; var state: UInt32; var creator: Int32 }
        struct Accumulator {
            var first: Goroutine
            var count = 0
            var minutes: [(minutes: Int32, weight: Int)] = []
            var labelSets: [LabelSetID: Int] = [:]
            var labelled = 0
            var leaked = 0
            var ids: [Int64] = []
        }
        var index: [Key: Int] = [:]
        var accumulators: [Accumulator] = []
        for goroutine in dump.goroutines {
            let key = Key(stack: goroutine.stack.rawValue, state: goroutine.state.rawValue, creator: goroutine.createdBy)
            let slot: Int
            if let known = index[key] {
                slot = known
            } else {
                slot = accumulators.count
                index[key] = slot
                accumulators.append(Accumulator(first: goroutine))
            }
            let weight = Int(clamping: max(goroutine.count, 0))
            accumulators[slot].count &+= weight
            accumulators[slot].minutes.append((goroutine.waitMinutes, weight))
            if goroutine.labelSet != .none {
                accumulators[slot].labelSets[goroutine.labelSet, default: 0] &+= weight
                accumulators[slot].labelled &+= weight
            }
            if goroutine.isLeaked || dump.profileName == "goroutineleak" && dump.format != .traceback {
                accumulators[slot].leaked &+= weight
            }
            if goroutine.id >= 0 { accumulators[slot].ids.append(goroutine.id) }
        }
        return accumulators.map { acc in
            let frames = dump.frames(of: acc.first.stack)
            let functions = frames.map { dump.names[$0.function] }
            let state = dump.names[acc.first.state]
            let kind = BlockingKind.classify(state: state, functions: functions)
            let stack = frames.map { site(of: $0, in: dump) }
            let creator = dump.creator(of: acc.first).map { site(of: $0, in: dump) }
            let isMain = acc.count == 1 && acc.ids == [1]
            let labelSets = acc.labelSets.sorted { $0.value > $1.value || $0.value == $1.value && $0.key < $1.key }
                .map { LabelSetCount(labels: dump.labelPairs(of: $0.key).map { (dump.names[$0.key], dump.names[$0.value]) },
                                     count: $0.value) }
            var key = state
            for frame in stack { key += "\n\(frame.function) \(frame.file):\(frame.line)" }
            if let creator { key += "\ncreated by \(creator.function) \(creator.file):\(creator.line)" }
            return GoroutineBucket(
                key: key, state: state, kind: kind, count: acc.count, waitMinutes: waitMinutes(acc.minutes),
                blockingSite: dump.blockingSite(of: acc.first.stack).map { site(of: $0, in: dump) },
                createdBy: creator, stack: stack, labelSets: labelSets, labelled: acc.labelled, leaked: acc.leaked,
                ids: acc.ids,
                healthyShape: HealthyShapes.shape(kind: kind, functions: functions, isMain: isMain,
                                                        isSystem: isRuntimeOnly(functions)),
                growth: nil, suspect: nil)
        }
    }

    /// A stack of runtime functions only (GC workers, finalizers, …); `runtime.goexit`, which
    /// ends every stack printed with GOTRACEBACK=system, does not decide it.
    static func isRuntimeOnly(_ functions: [String]) -> Bool {
        var sawRuntime = false
        for function in functions where function != "runtime.goexit" {
            guard function.hasPrefix("runtime.") else { return false }
            sawRuntime = true
        }
        return sawRuntime
    }

    static func site(of frame: Frame, in dump: GoroutineDump) -> SourceSite {
        SourceSite(function: dump.names[frame.function], file: dump.names[frame.file], line: Int(frame.line))
    }

    /// Weighted min, median and max.
    static func waitMinutes(_ values: [(minutes: Int32, weight: Int)]) -> WaitMinutes {
        guard !values.isEmpty else { return WaitMinutes(min: 0, median: 0, max: 0) }
        let sorted = values.sorted { $0.minutes < $1.minutes }
        let total = sorted.reduce(0) { $0 &+ $1.weight }
        var seen = 0
        var median = Int(sorted[0].minutes)
        for value in sorted {
            seen &+= value.weight
            if seen >= total / 2 + total % 2 {
                median = Int(value.minutes)
                break
            }
        }
        return WaitMinutes(min: Int(sorted[0].minutes), median: median, max: Int(sorted[sorted.count - 1].minutes))
    }
}
