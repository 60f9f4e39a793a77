/// How one bucket changed across several dumps of one process, oldest first.
public struct BucketGrowth: Hashable, Sendable, Codable {
    /// The bucket's count in each dump (0 where it was absent).
    public var counts: [Int]
    /// Last count minus first.
    public var delta: Int
    /// `delta` per minute of wall time between the first and last dump; nil when the dump
    /// times are unknown or equal.
    public var perMinute: Double?
    /// Goroutines of this bucket whose IDs were already in this bucket in the previous dump.
    public var persisted: Int
    /// Goroutines of this bucket whose IDs were in no bucket of the previous dump.
    public var new: Int
    /// Whether the count never fell from one dump to the next and rose overall.
    public var growsSteadily: Bool {
        guard delta > 0 else { return false }
        for i in 1..<counts.count where counts[i] < counts[i - 1] { return false }
        return true
    }
    /// Whether the count rose from every dump to the next.
    public var growsInEveryInterval: Bool {
        guard counts.count >= 2 else { return false }
        for i in 1..<counts.count where counts[i] <= counts[i - 1] { return false }
        return true
    }
    /// The share of the previous dump's goroutines here that are still here: near 1 for
    /// goroutines that never finish, near 0 for short-lived ones that come and go. Nil
    /// without IDs (count and proto profiles) or when the bucket was empty before.
    public var persistence: Double?
}

/// Cross-dump totals: goroutines that appeared and disappeared between the last two dumps.
public struct SeriesChange: Hashable, Sendable, Codable {
    /// Goroutine IDs in the last dump that the one before did not have.
    public var new: Int
    /// Goroutine IDs in the dump before the last that the last one does not have.
    public var gone: Int
    /// Present in both.
    public var persisted: Int
    /// Buckets of earlier dumps that the last one no longer has.
    public var goneBuckets: Int
}

enum GrowthAnalysis {
    /// Fills `growth` on the last dump's buckets. `dumps` are the buckets of each dump, oldest
    /// first; `minutes` the wall time of each dump in minutes, when known.
    static func annotate(_ dumps: [[AnalyzedBucket]], minutes: [Double]?) -> (buckets: [AnalyzedBucket], change: SeriesChange?) {
        guard var last = dumps.last else { return ([], nil) }
        guard dumps.count >= 2 else { return (last, nil) }
        let previous = dumps[dumps.count - 2]
        // Which previous bucket each goroutine ID was in: one hash insert per goroutine.
        var previousBucketOfID: [Int64: Int32] = [:]
        previousBucketOfID.reserveCapacity(previous.reduce(0) { $0 + $1.ids.count })
        var previousBucketOfKey: [String: Int32] = [:]
        var previousHasIDs = Set<Int32>()
        for (index, bucket) in previous.enumerated() {
            // Buckets that differ only in PC offsets share a key: they are one bucket here.
            let slot = previousBucketOfKey[bucket.key] ?? Int32(truncatingIfNeeded: index)
            previousBucketOfKey[bucket.key] = slot
            if !bucket.ids.isEmpty { previousHasIDs.insert(slot) }
            for id in bucket.ids { previousBucketOfID[id] = slot }
        }
        let countsByDump: [[String: Int]] = dumps.map { buckets in
            var counts: [String: Int] = [:]
            for bucket in buckets { counts[bucket.key, default: 0] &+= bucket.count }
            return counts
        }
        var span: Double? = nil
        if let minutes, minutes.count == dumps.count, let first = minutes.first, let end = minutes.last, end > first {
            span = end - first
        }
        var lastIDCount = 0, persistedIDs = 0
        for i in last.indices {
            let key = last[i].key
            let counts = countsByDump.map { $0[key] ?? 0 }
            let delta = counts[counts.count - 1] &- counts[0]
            let sameBucket = previousBucketOfKey[key] ?? -1
            var persisted = 0, new = 0
            for id in last[i].ids {
                lastIDCount += 1
                if let was = previousBucketOfID[id] {
                    persistedIDs += 1
                    if was == sameBucket { persisted += 1 }
                } else {
                    new += 1
                }
            }
            let previousCount = counts[counts.count - 2]
            let persistence: Double? = last[i].ids.isEmpty || !previousHasIDs.contains(sameBucket) ? nil
                : Double(persisted) / Double(Swift.max(previousCount, 1))
            last[i].growth = BucketGrowth(counts: counts, delta: delta, perMinute: span.map { Double(delta) / $0 },
                                          persisted: persisted, new: new, persistence: persistence)
        }
        // Count and proto profiles have no IDs: nothing to say about goroutines coming and going.
        guard lastIDCount > 0 || !previousBucketOfID.isEmpty else { return (last, nil) }
        let lastKeys = Set(last.map(\.key))
        var goneBuckets = Set<String>()
        for buckets in dumps.dropLast() { for bucket in buckets where !lastKeys.contains(bucket.key) { goneBuckets.insert(bucket.key) } }
        let change = SeriesChange(new: lastIDCount - persistedIDs, gone: previousBucketOfID.count - persistedIDs,
                                  persisted: persistedIDs, goneBuckets: goneBuckets.count)
        return (last, change)
    }
}
