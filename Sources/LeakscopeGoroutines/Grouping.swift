/// What makes goroutines land in the same bucket.
public enum GroupingKey: String, Sendable, Hashable, CaseIterable {
    /// The same frames (function, file, line, offset) and the same `created by` site.
    case stack
    /// The same blocking site (`GoroutineDump.blockingSite(of:)`): function, file and line.
    case blockingSite
    /// The same `created by` site: function, file and line.
    case creationSite
}

/// Minimum, median and maximum of the `N minutes` wait ages in a bucket (0 = under a minute
/// or not printed). The median of an even count is the lower middle value.
public struct WaitAge: Sendable, Hashable {
    /// The youngest wait, in minutes.
    public var min: Int32
    /// The median wait, in minutes.
    public var median: Int32
    /// The oldest wait, in minutes.
    public var max: Int32
    init(min: Int32, median: Int32, max: Int32) {
        self.min = min
        self.median = median
        self.max = max
    }
}

/// How many goroutines of a bucket are in one state.
public struct StateCount: Sendable, Hashable {
    /// The state, in the dump's `names`.
    public var state: NameID
    /// Goroutines in it (records of count profiles weigh their count).
    public var count: Int64
    init(state: NameID, count: Int64) {
        self.state = state
        self.count = count
    }
}

/// Goroutines that share a stack, a blocking site or a creation site.
public struct GoroutineBucket: Sendable {
    /// What the members have in common.
    public var key: GroupingKey
    /// Goroutines in the bucket (records of count profiles weigh their count).
    public var count: Int64
    /// Indices into `GoroutineDump.goroutines`, in input order.
    public var members: [Int32]
    /// The stack of the first member (all members share it when grouping by stack).
    public var stack: StackID
    /// The first member's blocking site, nil for an empty stack.
    public var blockingSite: Frame?
    /// The first member's `created by` frame, nil when none was printed.
    public var createdBy: Frame?
    /// States, most frequent first (ties in order of first appearance).
    public var states: [StateCount]
    /// How long the members have waited.
    public var waitMinutes: WaitAge
    /// Distinct label sets of the members, in order of first appearance, at most `labelSetLimit`.
    public var labelSets: [LabelSetID]
    /// How many distinct label sets the members have (including the empty set).
    public var distinctLabelSets: Int
    /// Members carrying labels (weighted by count).
    public var labelled: Int64
    /// IDs of the first members (at most `exampleLimit`); empty for count and proto profiles.
    public var exampleIDs: [Int64]
    /// Members marked `(leaked)` (weighted by count).
    public var leaked: Int64
    /// Members locked to their thread (weighted by count).
    public var locked: Int64

    /// The most label sets `labelSets` lists.
    public static let labelSetLimit = 20
    /// The most IDs `exampleIDs` lists.
    public static let exampleLimit = 5
}

extension GoroutineDump {
    /// Buckets of goroutines, largest first (ties in order of first appearance).
    ///
    /// Linear in the number of goroutines: keys are integers computed once per distinct stack or
    /// creation site (both already stored once by the parser), then each goroutine costs one hash
    /// lookup. Per-bucket statistics are gathered in one pass over each bucket's members.
    public func buckets(by key: GroupingKey) -> [GoroutineBucket] {
        var members: [[Int32]] = []
        // Keys reduce to integers computed once per distinct stack or creation site (both stored
        // once by the parser); a goroutine then costs an array lookup, and only a stack seen with
        // a second creator (rare) costs a hash lookup.
        var bucketOfKey: [UInt64: Int32] = [:]
        func bucket(for k: UInt64) -> Int32 {
            if let b = bucketOfKey[k] { return b }
            let b = Int32(truncatingIfNeeded: members.count)
            bucketOfKey[k] = b
            members.append([])
            return b
        }
        var bucketOfStack = [Int32](repeating: -1, count: stacks.count)
        var creatorOfStack = [Int32](repeating: -2, count: stacks.count)
        var bucketOfCreator = [Int32](repeating: -1, count: creationSites.count)
        var noCreatorBucket: Int32 = -1

        for (i, g) in goroutines.enumerated() {
            let s = Int(g.stack.rawValue)
            var b: Int32
            switch key {
            case .stack:
                if creatorOfStack[s] == g.createdBy {
                    b = bucketOfStack[s]
                } else {
                    b = bucket(for: UInt64(UInt32(bitPattern: g.stack.rawValue)) << 32 | UInt64(UInt32(bitPattern: g.createdBy)))
                    if creatorOfStack[s] == -2 {
                        creatorOfStack[s] = g.createdBy
                        bucketOfStack[s] = b
                    }
                }
            case .blockingSite:
                b = bucketOfStack[s]
                if b < 0 {
                    b = bucket(for: blockingSite(of: g.stack).map(GoroutineDump.siteKey) ?? UInt64.max)
                    bucketOfStack[s] = b
                }
            case .creationSite:
                if g.createdBy >= 0 {
                    b = bucketOfCreator[Int(g.createdBy)]
                    if b < 0 {
                        b = bucket(for: GoroutineDump.siteKey(creationSites[Int(g.createdBy)]))
                        bucketOfCreator[Int(g.createdBy)] = b
                    }
                } else {
                    if noCreatorBucket < 0 { noCreatorBucket = bucket(for: UInt64.max) }
                    b = noCreatorBucket
                }
            }
            members[Int(b)].append(Int32(truncatingIfNeeded: i))
        }

        var labelStamp = [Int32](repeating: -1, count: labelSets.count)
        var waits: [Int32] = []
        var result: [GoroutineBucket] = []
        result.reserveCapacity(members.count)
        for (b, list) in members.enumerated() {
            let first = goroutines[Int(list[0])]
            var bucket = GoroutineBucket(key: key, count: 0, members: list, stack: first.stack,
                                         blockingSite: blockingSite(of: first.stack), createdBy: creator(of: first),
                                         states: [], waitMinutes: WaitAge(min: 0, median: 0, max: 0), labelSets: [],
                                         distinctLabelSets: 0, labelled: 0, exampleIDs: [], leaked: 0, locked: 0)
            waits.removeAll(keepingCapacity: true)
            for m in list {
                let g = goroutines[Int(m)]
                bucket.count &+= g.count
                if let s = bucket.states.firstIndex(where: { $0.state == g.state }) {
                    bucket.states[s].count &+= g.count
                } else {
                    bucket.states.append(StateCount(state: g.state, count: g.count))
                }
                waits.append(g.waitMinutes)
                let ls = Int(g.labelSet.rawValue)
                if labelStamp[ls] != Int32(b) {
                    labelStamp[ls] = Int32(b)
                    bucket.distinctLabelSets += 1
                    if bucket.labelSets.count < GoroutineBucket.labelSetLimit { bucket.labelSets.append(g.labelSet) }
                }
                if g.labelSet != .none { bucket.labelled &+= g.count }
                if g.id >= 0 && bucket.exampleIDs.count < GoroutineBucket.exampleLimit { bucket.exampleIDs.append(g.id) }
                if g.isLeaked { bucket.leaked &+= g.count }
                if g.isLocked { bucket.locked &+= g.count }
            }
            bucket.states = bucket.states.enumerated().sorted {
                $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset
            }.map(\.element)
            bucket.waitMinutes = GoroutineDump.waitAge(&waits)
            result.append(bucket)
        }
        return result.enumerated().sorted {
            $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset
        }.map(\.element)
    }

    /// (function, line) with the file folded in: a site key that is one integer.
    static func siteKey(_ f: Frame) -> UInt64 {
        let h = hashCombine(UInt64(f.function.rawValue) << 32 | UInt64(UInt32(bitPattern: f.line)), UInt64(f.file.rawValue))
        return h == UInt64.max ? h &- 1 : h  // UInt64.max stands for "no site"
    }

    /// Min, median (lower middle) and max, in linear expected time (quickselect).
    static func waitAge(_ values: inout [Int32]) -> WaitAge {
        guard !values.isEmpty else { return WaitAge(min: 0, median: 0, max: 0) }
        var lo = Int32.max, hi = Int32.min
        for v in values {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        if lo == hi { return WaitAge(min: lo, median: lo, max: hi) }
        let k = (values.count - 1) / 2
        var left = 0, right = values.count - 1
        var rng: UInt64 = 0x2545_F491_4F6C_DD1D
        while left < right {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1
            let pivot = values[left + Int(rng >> 33) % (right - left + 1)]
            var i = left, j = right
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { right = j } else if k >= i { left = i } else { break }
        }
        return WaitAge(min: lo, median: values[k], max: hi)
    }
}
