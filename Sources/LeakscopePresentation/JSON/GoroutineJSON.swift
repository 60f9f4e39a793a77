import Foundation
import LeakscopeGoroutineAnalysis
import LeakscopeFindings

/// The `--format json` document (schema in docs/GOROUTINES.md). Pure: analysis in, bytes out.
public enum GoroutineJSON {
    public static func render(_ analysis: GoroutineAnalysis, prettyPrinted: Bool = true) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain value; encoding cannot fail.
        return (try? encoder.encode(Document(analysis))) ?? Data("{}".utf8)
    }

    /// Buckets with their position, for `suspects[].bucket`.
    struct Document: Encodable {
        var goroutines: Int
        var byState: [String: Int]
        var labelled: Int
        var dumps: [GoroutineAnalysis.DumpInfo]
        var change: SeriesChange?
        var suspects: [SuspectEntry]
        var buckets: [BucketEntry]
        var creationTree: [CreationNode]
        var blockingSites: [SiteEntry]

        init(_ a: GoroutineAnalysis) {
            goroutines = a.goroutines
            byState = Dictionary(a.byState.map { ($0.state, $0.count) }, uniquingKeysWith: +)
            labelled = a.labelled
            dumps = a.dumps
            change = a.change
            buckets = a.buckets.map(BucketEntry.init)
            suspects = a.buckets.enumerated().compactMap { index, bucket in
                bucket.suspect.map { SuspectEntry(rank: $0.rank, score: $0.score, reason: $0.reason, remedy: $0.remedy, bucket: index) }
            }
            creationTree = a.creationTree
            blockingSites = a.blockingSites.map { SiteEntry(site: $0.site, count: $0.count, buckets: $0.buckets) }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(goroutines, forKey: .goroutines)
            try c.encode(byState, forKey: .byState)
            try c.encode(labelled, forKey: .labelled)
            try c.encode(dumps, forKey: .dumps)
            try c.encode(change, forKey: .change)
            try c.encode(suspects, forKey: .suspects)
            try c.encode(buckets, forKey: .buckets)
            try c.encode(blockingSites, forKey: .blockingSites)
            try c.encode(creationTree, forKey: .creationTree)
        }
        enum Keys: String, CodingKey {
            case goroutines, byState, labelled, dumps, change, suspects, buckets, blockingSites, creationTree
        }
    }

    /// `{function, file, line, count, buckets}`; the site fields are null for empty stacks.
    struct SiteEntry: Encodable {
        var site: SourceSite?
        var count: Int
        var buckets: Int
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(site?.function, forKey: .function)
            try c.encode(site?.file, forKey: .file)
            try c.encode(site?.line, forKey: .line)
            try c.encode(count, forKey: .count)
            try c.encode(buckets, forKey: .buckets)
        }
        enum Keys: String, CodingKey { case function, file, line, count, buckets }
    }

    struct SuspectEntry: Encodable {
        var rank: Int
        var score: Int
        var reason: String
        var remedy: String?
        /// Index into `buckets`; absent inside a bucket.
        var bucket: Int?
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(rank, forKey: .rank)
            try c.encode(score, forKey: .score)
            try c.encode(reason, forKey: .reason)
            try c.encode(remedy, forKey: .remedy)
            if let bucket { try c.encode(bucket, forKey: .bucket) }
        }
        enum Keys: String, CodingKey { case rank, score, reason, remedy, bucket }
    }

    struct BucketEntry: Encodable {
        let bucket: AnalyzedBucket
        init(_ bucket: AnalyzedBucket) { self.bucket = bucket }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            let b = bucket
            try c.encode(b.count, forKey: .count)
            try c.encode(b.state, forKey: .state)
            try c.encode(b.kind, forKey: .kind)
            try c.encode(b.waitMinutes, forKey: .waitMinutes)
            try c.encode(b.blockingSite, forKey: .blockingSite)
            try c.encode(b.createdBy, forKey: .createdBy)
            try c.encode(b.labelSets.map { Dictionary($0.labels.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) },
                         forKey: .labels)
            try c.encode(b.labelled, forKey: .labelled)
            try c.encode(b.leaked, forKey: .leaked)
            try c.encode(Array(b.exampleIDs), forKey: .exampleIDs)
            try c.encode(b.healthyShape?.name, forKey: .healthyShape)
            try c.encode(b.growth, forKey: .growth)
            if let s = b.suspect {
                try c.encode(SuspectEntry(rank: s.rank, score: s.score, reason: s.reason, remedy: s.remedy, bucket: nil),
                             forKey: .suspect)
            } else {
                try c.encodeNil(forKey: .suspect)
            }
            try c.encode(b.stack, forKey: .stack)
        }
        enum Keys: String, CodingKey {
            case count, state, kind, waitMinutes, blockingSite, createdBy, labels, labelled, leaked, exampleIDs,
                 healthyShape, growth, suspect, stack
        }
    }
}
