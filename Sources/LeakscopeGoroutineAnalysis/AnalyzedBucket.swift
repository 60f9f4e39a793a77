import LeakscopeGoSymbols
import LeakscopeGoroutines
import LeakscopeFindings

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

/// A bucket of goroutines with the same stack and creation site, with what the analysis made of it.
public struct AnalyzedBucket: Sendable {
    /// Identity of the bucket across dumps of one process: state, frames and creator as text.
    public var key: String
    /// The state exactly as printed (without `(leaked)`); the most common one if members differ.
    public var state: String
    /// Members per state as printed, most common first: stacks alike can be caught in different
    /// states (a goroutine in `select` read while `runnable`), and totals by state count each one.
    public var stateCounts: [(state: String, count: Int)]
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
    /// The goroutine's own function: the outermost frame of its stack (what `go` started).
    public var function: SourceSite?
    /// The application function responsible for these goroutines: the outermost application
    /// frame of the stack (the goroutine's own function when it is application code), else the
    /// application frame that started it; nil when neither is application code.
    public var responsible: SourceSite?
    /// Who started these goroutines and whether that call has returned.
    public var spawn: Spawn
    /// Set when several dumps were analysed.
    public var growth: BucketGrowth?
    /// Set when the evidence makes this bucket a leak suspect.
    public var suspect: Suspect?

    /// A few IDs to look up in the dump.
    public var exampleIDs: ArraySlice<Int64> { ids.prefix(5) }

    /// What identifies a goroutine kind across stacks: the responsible function and the
    /// function that started it. Goroutines of one kind that block at different lines (a
    /// result handed over one of two channels) are one kind.
    public var kindKey: String {
        let own = responsible?.function ?? function?.function ?? key
        return own + " <- " + (createdBy?.function ?? "")
    }

    /// Who started a bucket's goroutines, from the `created by … in goroutine N` lines.
    public struct Spawn: Hashable, Sendable {
        /// The distinct creator goroutine IDs, ascending (empty before Go 1.21, which prints none).
        public var parents: [Int64]
        /// Members whose creating call has returned: the creator goroutine is gone from the dump,
        /// or alive but no longer running the function that started them (a keep-alive
        /// connection's goroutine that served the request and now waits for the next one).
        public var creatorReturned: Int
        /// Highest goroutine ID in the dump: IDs are handed out in creation order, so a member's
        /// ID over this says how far back it was created.
        public var dumpMaxID: Int64

        public init(parents: [Int64] = [], creatorReturned: Int = 0, dumpMaxID: Int64 = 0) {
            self.parents = parents
            self.creatorReturned = creatorReturned
            self.dumpMaxID = dumpMaxID
        }
    }
}

/// Lookups over one dump that bucket analysis needs: goroutines by ID.
struct DumpIndex {
    let dump: GoroutineDump
    var stackOfID: [Int64: StackID] = [:]
    var maxID: Int64 = 0
    /// Where a stack runs a function, memoised: whether it does, and whether a request loop
    /// (`RequestLoops`) calls it there.
    private var runs: [StackFunction: Running] = [:]
    /// The newest goroutine each parent started at each creation site; built on first use.
    private var newestChild: [ParentSite: Int64]?

    struct StackFunction: Hashable {
        var stack: StackID
        var function: NameID
    }

    struct ParentSite: Hashable {
        var parent: Int64
        var site: Int32
    }

    enum Running {
        case no, once, perRequest
    }

    init(_ dump: GoroutineDump) {
        self.dump = dump
        stackOfID.reserveCapacity(dump.goroutines.count)
        for goroutine in dump.goroutines where goroutine.id >= 0 {
            stackOfID[goroutine.id] = goroutine.stack
            maxID = max(maxID, goroutine.id)
        }
    }

    /// Whether the call that created `child` (its `created by` frame, `creator`) has returned in
    /// its parent. A parent running that function again for a later request (a kept-alive
    /// connection busy in the same handler) can have started only its newest child at that site
    /// in the current call: the older ones' calls have returned.
    mutating func creatorReturned(_ child: Goroutine, creator: Frame) -> Bool {
        guard let stack = stackOfID[child.parentID] else { return true }
        let key = StackFunction(stack: stack, function: creator.function)
        let running: Running
        if let known = runs[key] {
            running = known
        } else {
            running = self.running(creator.function, in: stack)
            runs[key] = running
        }
        switch running {
        case .no: return true
        case .once: return false
        case .perRequest: return child.id < newest(ParentSite(parent: child.parentID, site: child.createdBy))
        }
    }

    private func running(_ function: NameID, in stack: StackID) -> Running {
        let frames = dump.frames(of: stack)
        guard let call = frames.firstIndex(where: { $0.function == function }) else { return .no }
        let loop = frames[(call + 1)...].contains { RequestLoops.contains(dump.names[$0.function]) }
        return loop ? .perRequest : .once
    }

    private mutating func newest(_ key: ParentSite) -> Int64 {
        if newestChild == nil {
            var newest: [ParentSite: Int64] = [:]
            for goroutine in dump.goroutines where goroutine.parentID > 0 && goroutine.createdBy >= 0 {
                let site = ParentSite(parent: goroutine.parentID, site: goroutine.createdBy)
                newest[site] = max(newest[site] ?? goroutine.id, goroutine.id)
            }
            newestChild = newest
        }
        return newestChild?[key] ?? -1
    }
}

extension AnalyzedBucket {
    /// The dump's buckets by identical stack and creation site (`GoroutineDump.buckets(by: .stack)`),
    /// each classified and matched against the healthy shapes.
    public static func buckets(of dump: GoroutineDump) -> [AnalyzedBucket] {
        var index = DumpIndex(dump)
        return dump.buckets(by: .stack).map { analyze($0, in: dump, index: &index) }
    }

    static func analyze(_ bucket: GoroutineBucket, in dump: GoroutineDump, index: inout DumpIndex) -> AnalyzedBucket {
        let frames = dump.frames(of: bucket.stack)
        let functions = frames.map { dump.names[$0.function] }
        // Members share a stack; a mix of states (rare) is reported as the most common one.
        let state = bucket.states.first.map { dump.names[$0.state] } ?? ""
        let kind = BlockingKind.classify(state: state, functions: functions)
        let stack = frames.map { site(of: $0, in: dump) }
        let creator = bucket.createdBy.map { site(of: $0, in: dump) }
        var ids: [Int64] = []
        ids.reserveCapacity(bucket.members.count)
        var perLabelSet: [LabelSetID: Int] = [:]
        var parents = Set<Int64>()
        var creatorReturned = 0
        for member in bucket.members {
            let goroutine = dump.goroutines[Int(member)]
            if goroutine.id >= 0 { ids.append(goroutine.id) }
            if goroutine.parentID > 0, let creator = dump.creator(of: goroutine) {
                parents.insert(goroutine.parentID)
                if index.creatorReturned(goroutine, creator: creator) { creatorReturned += 1 }
            }
            if goroutine.labelSet != .none { perLabelSet[goroutine.labelSet, default: 0] &+= Int(clamping: goroutine.count) }
        }
        let labelSets = perLabelSet.sorted { $0.value > $1.value || $0.value == $1.value && $0.key < $1.key }
            .prefix(GoroutineBucket.labelSetLimit)
            .map { LabelSetCount(labels: dump.labelPairs(of: $0.key).map { (dump.names[$0.key], dump.names[$0.value]) },
                                 count: $0.value) }
        // Goroutine 1 in a traceback; in a count or proto profile (no IDs), a lone main.main stack.
        let isMain = bucket.count == 1 && (ids == [1] || ids.isEmpty && functions.last == "main.main")
        var key = state
        for frame in stack { key += "\n\(frame.function) \(frame.file):\(frame.line)" }
        if let creator { key += "\ncreated by \(creator.function) \(creator.file):\(creator.line)" }
        let leakedByProfile = dump.profileName == "goroutineleak" && dump.format != .traceback
        let wait = bucket.waitMinutes
        return AnalyzedBucket(
            key: key, state: state,
            stateCounts: bucket.states.map { (state: dump.names[$0.state], count: Int(clamping: $0.count)) },
            kind: kind, count: Int(clamping: bucket.count),
            waitMinutes: WaitMinutes(min: Int(wait.min), median: Int(wait.median), max: Int(wait.max)),
            blockingSite: bucket.blockingSite.map { site(of: $0, in: dump) }, createdBy: creator, stack: stack,
            labelSets: labelSets, labelled: Int(clamping: bucket.labelled),
            leaked: Int(clamping: leakedByProfile ? bucket.count : bucket.leaked), ids: ids,
            healthyShape: HealthyShapes.shape(kind: kind, functions: functions, isMain: isMain,
                                              isSystem: isRuntimeOnly(functions)),
            function: stack.last { $0.function != "runtime.goexit" },
            responsible: responsibleFunction(stack: stack, creator: creator, kind: kind),
            spawn: Spawn(parents: parents.sorted(), creatorReturned: creatorReturned, dumpMaxID: index.maxID),
            growth: nil, suspect: nil)
    }

    /// The outermost application frame, else an application creator (a `go` statement in
    /// application code whose goroutine runs library code only). A goroutine waiting for a
    /// `sync.Mutex` or `RWMutex` is the exception: the fault is in the code that takes that lock
    /// (and fails to release it on some path), so the innermost application frame is responsible.
    static func responsibleFunction(stack: [SourceSite], creator: SourceSite?, kind: BlockingKind) -> SourceSite? {
        let application = { (site: SourceSite) in ApplicationCode.isApplication(site.function) }
        if kind == .mutex || kind == .rwMutex, let locker = stack.first(where: application) { return locker }
        if let own = stack.last(where: application) { return own }
        return creator.flatMap { ApplicationCode.isApplication($0.function) ? $0 : nil }
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
}
