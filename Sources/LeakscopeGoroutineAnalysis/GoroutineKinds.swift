import LeakscopeGoSymbols
import LeakscopeFindings

/// What the dumps say about one goroutine kind (every bucket with the same
/// `AnalyzedBucket.kindKey`): the evidence a leak of that kind leaves in one dump, and how its
/// goroutines come and go across several.
public struct KindEvidence: Hashable, Sendable {
    /// Goroutines of the kind in the last dump.
    public var count: Int
    /// Of them, parked on something only another goroutine can release (channel, select,
    /// mutex, WaitGroup, Cond, semaphore).
    public var parked: Int
    /// Distinct goroutines that started the parked ones.
    public var creators: Int
    /// Parked goroutines whose creating call has returned.
    public var creatorReturned: Int
    /// How far back the oldest parked goroutine was created, as a share of the dump's ID range
    /// (0 = just now, 1 = at startup); nil without IDs.
    public var oldest: Double?
    /// The same for the newest parked goroutine.
    public var newest: Double?
    /// Dumps analysed.
    public var dumps: Int
    /// Goroutines of the kind per dump, oldest first.
    public var counts: [Int]
    /// Goroutine IDs of the kind present in every dump.
    public var persistedThroughout: Int
    /// IDs that joined the kind between consecutive dumps, summed over the intervals.
    public var arrivals: Int
    /// IDs that left the kind between consecutive dumps, summed.
    public var departures: Int
    /// Share of the first dump's goroutines of the kind still in it in the last dump; nil for
    /// one dump or without IDs.
    public var persistence: Double?

    /// Whether the parked goroutines are orphaned: most were started by calls that have since
    /// returned, from more than one creator.
    public func isOrphaned(_ t: DetectionThresholds) -> Bool {
        parked > 0 && Double(creatorReturned) >= t.orphanShare * Double(parked) && creators >= t.minimumCreators
    }
}

enum GoroutineKinds {
    /// Blocking kinds that only another goroutine can end.
    static func isParked(_ kind: BlockingKind) -> Bool {
        switch kind {
        case .chanSend, .chanReceive, .select, .mutex, .rwMutex, .waitGroup, .cond, .semaphore, .nilChannel, .emptySelect:
            true
        default:
            false
        }
    }

    /// Evidence per kind key, from every dump's buckets (oldest first); the last dump is the one reported.
    static func evidence(_ dumps: [[AnalyzedBucket]]) -> [String: KindEvidence] {
        guard let last = dumps.last else { return [:] }
        // IDs per kind per dump.
        let idsByDump: [[String: Set<Int64>]] = dumps.map { buckets in
            var ids: [String: Set<Int64>] = [:]
            for bucket in buckets where !bucket.ids.isEmpty { ids[bucket.kindKey, default: []].formUnion(bucket.ids) }
            return ids
        }
        let countsByDump: [[String: Int]] = dumps.map { buckets in
            var counts: [String: Int] = [:]
            for bucket in buckets { counts[bucket.kindKey, default: 0] &+= bucket.count }
            return counts
        }
        var result: [String: KindEvidence] = [:]
        var parents: [String: Set<Int64>] = [:]
        var parkedIDs: [String: (min: Int64, max: Int64)] = [:]
        for bucket in last {
            let key = bucket.kindKey
            var e = result[key] ?? KindEvidence(
                count: 0, parked: 0, creators: 0, creatorReturned: 0, oldest: nil, newest: nil, dumps: dumps.count,
                counts: countsByDump.map { $0[key] ?? 0 }, persistedThroughout: 0, arrivals: 0, departures: 0,
                persistence: nil)
            e.count &+= bucket.count
            if isParked(bucket.kind) {
                e.parked &+= bucket.count
                e.creatorReturned &+= bucket.spawn.creatorReturned
                parents[key, default: []].formUnion(bucket.spawn.parents)
                if let lo = bucket.ids.min(), let hi = bucket.ids.max() {
                    let was = parkedIDs[key]
                    parkedIDs[key] = (min(was?.min ?? lo, lo), max(was?.max ?? hi, hi))
                }
            }
            result[key] = e
        }
        for (key, var e) in result {
            e.creators = parents[key]?.count ?? 0
            if let range = parkedIDs[key], let anyBucket = last.first(where: { $0.kindKey == key }),
               anyBucket.spawn.dumpMaxID > 0 {
                let top = Double(anyBucket.spawn.dumpMaxID)
                e.oldest = (top - Double(range.min)) / top
                e.newest = (top - Double(range.max)) / top
            }
            if dumps.count >= 2, let lastIDs = idsByDump[dumps.count - 1][key], !lastIDs.isEmpty {
                var throughout = lastIDs
                for i in 0..<(dumps.count - 1) { throughout.formIntersection(idsByDump[i][key] ?? []) }
                e.persistedThroughout = throughout.count
                for i in 1..<dumps.count {
                    let before = idsByDump[i - 1][key] ?? [], after = idsByDump[i][key] ?? []
                    e.arrivals += after.subtracting(before).count
                    e.departures += before.subtracting(after).count
                }
                if let first = idsByDump[0][key], !first.isEmpty {
                    e.persistence = Double(first.intersection(lastIDs).count) / Double(first.count)
                }
            }
            result[key] = e
        }
        return result
    }
}
