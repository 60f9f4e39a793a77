import LeakscopeGoroutines
import LeakscopeFindings

/// One dump to analyse, with the wall time it was taken at (seconds since any fixed origin)
/// when known. Times are inputs: the analysis reads no clock and no file.
public struct TimedGoroutineDump: Sendable {
    public var name: String
    public var dump: GoroutineDump
    public var time: Double?

    public init(name: String, dump: GoroutineDump, time: Double? = nil) {
        self.name = name
        self.dump = dump
        self.time = time
    }
}

/// The result of analysing one or more goroutine dumps of one process.
public struct GoroutineAnalysis: Sendable {
    public struct DumpInfo: Sendable, Hashable, Codable {
        public var name: String
        public var goroutines: Int
        public var time: Double?
    }

    /// The dumps, oldest first.
    public var dumps: [DumpInfo]
    /// Goroutines in the last dump.
    public var goroutines: Int
    /// Goroutines per state of the last dump, most common first.
    public var byState: [(state: String, count: Int)]
    /// Goroutines of the last dump that carry pprof labels.
    public var labelled: Int
    /// The last dump's buckets: suspects first by rank, then by count.
    public var buckets: [AnalyzedBucket]
    /// Goroutines that came and went between the last two dumps; nil for one dump.
    public var change: SeriesChange?
    /// Who spawned whom in the last dump, by site.
    public var creationTree: [CreationNode]
    /// Evidence per goroutine kind (`AnalyzedBucket.kindKey`) of the last dump.
    public var kinds: [String: KindEvidence] = [:]

    /// Goroutines of the last dump per blocking site, however many stacks lead there.
    public struct SiteTotal: Sendable, Hashable {
        public var site: SourceSite?
        public var count: Int
        /// How many buckets (distinct stacks) wait there.
        public var buckets: Int
    }

    /// The last dump's blocking sites, most goroutines first.
    public var blockingSites: [SiteTotal] {
        var index: [SourceSite?: Int] = [:]
        var totals: [SiteTotal] = []
        for bucket in buckets {
            if let i = index[bucket.blockingSite] {
                totals[i].count &+= bucket.count
                totals[i].buckets += 1
            } else {
                index[bucket.blockingSite] = totals.count
                totals.append(SiteTotal(site: bucket.blockingSite, count: bucket.count, buckets: 1))
            }
        }
        return totals.enumerated().sorted { $0.element.count != $1.element.count ? $0.element.count > $1.element.count
            : $0.offset < $1.offset }.map(\.element)
    }

    /// The suspects, strongest first.
    public var suspects: [AnalyzedBucket] { buckets.filter { $0.suspect != nil } }

    /// Analyses dumps of one process, oldest first. `leakProfiles` are `goroutineleak`
    /// profiles (any format) taken with the last dump; their `(leaked)` goroutines count as
    /// evidence for the buckets at the same blocking site.
    public static func analyze(_ inputs: [TimedGoroutineDump], leakProfiles: [GoroutineDump] = []) -> GoroutineAnalysis {
        let perDump = inputs.map { AnalyzedBucket.buckets(of: $0.dump) }
        let times = inputs.compactMap(\.time)
        let minutes: [Double]? = times.count == inputs.count ? times.map { $0 / 60 } : nil
        var (buckets, change) = GrowthAnalysis.annotate(perDump, minutes: minutes)
        applyLeakEvidence(leakProfiles, to: &buckets)
        let kinds = GoroutineKinds.evidence(perDump)
        for i in buckets.indices {
            buckets[i].suspect = SuspectScoring.score(buckets[i], dumps: inputs.count, kindEvidence: kinds[buckets[i].kindKey])
        }
        buckets.sort { a, b in
            let sa = a.suspect?.score ?? -1, sb = b.suspect?.score ?? -1
            if sa != sb { return sa > sb }
            let ga = a.growth?.delta ?? 0, gb = b.growth?.delta ?? 0
            if a.suspect != nil && ga != gb { return ga > gb }
            if a.count != b.count { return a.count > b.count }
            return a.key < b.key
        }
        var rank = 0
        for i in buckets.indices where buckets[i].suspect != nil {
            rank += 1
            buckets[i].suspect?.rank = rank
        }
        var states: [String: Int] = [:]
        var total = 0, labelled = 0
        for bucket in buckets {
            for entry in bucket.stateCounts { states[entry.state, default: 0] &+= entry.count }
            total &+= bucket.count
            labelled &+= bucket.labelled
        }
        let byState = states.sorted { $0.value > $1.value || $0.value == $1.value && $0.key < $1.key }
            .map { (state: $0.key, count: $0.value) }
        let infos = zip(inputs, perDump).map { input, buckets in
            DumpInfo(name: input.name, goroutines: buckets.reduce(0) { $0 &+ $1.count }, time: input.time)
        }
        let tree = inputs.last.map { CreationNode.tree(of: $0.dump) } ?? []
        return GoroutineAnalysis(dumps: infos, goroutines: total, byState: byState, labelled: labelled,
                                 buckets: buckets, change: change, creationTree: tree, kinds: kinds)
    }

    /// Spreads each leak profile's leaked count at a blocking site over the buckets there.
    static func applyLeakEvidence(_ profiles: [GoroutineDump], to buckets: inout [AnalyzedBucket]) {
        guard !profiles.isEmpty else { return }
        var leakedAtSite: [SourceSite: Int] = [:]
        for profile in profiles {
            for bucket in AnalyzedBucket.buckets(of: profile) where bucket.leaked > 0 {
                if let site = bucket.blockingSite { leakedAtSite[site, default: 0] &+= bucket.leaked }
            }
        }
        for i in buckets.indices {
            guard let site = buckets[i].blockingSite, let available = leakedAtSite[site], available > 0 else { continue }
            let extra = min(available, buckets[i].count - buckets[i].leaked)
            guard extra > 0 else { continue }
            buckets[i].leaked += extra
            leakedAtSite[site] = available - extra
        }
    }
}
