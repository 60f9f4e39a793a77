import Foundation
import LeakscopeTestSupport
@testable import LeakscopeGoroutineAnalysis
@testable import LeakscopeGoroutines

/// Loading the fixture program's dumps for the goroutine analysis tests.
enum GoroutineFixtureDumps {
    static func load(_ url: URL) throws -> GoroutineDump {
        try GoroutineDump.read(path: url.path)
    }

    /// The dumps of a run, with their file modification times as dump times.
    static func timed(_ run: GoroutineFixtures.Run, only indices: [Int]? = nil) throws -> [TimedGoroutineDump] {
        let urls = indices.map { $0.map { run.dumps[$0] } } ?? run.dumps
        return try urls.map { url in
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970
            return TimedGoroutineDump(name: url.lastPathComponent, dump: try load(url), time: time)
        }
    }

    static func analyze(_ run: GoroutineFixtures.Run, only indices: [Int]? = nil, withLeakProfile: Bool = false) throws
        -> GoroutineAnalysis {
        let leak = withLeakProfile ? try run.leakDumps.suffix(1).map(load) : []
        return GoroutineAnalysis.analyze(try timed(run, only: indices), leakProfiles: leak)
    }

    /// Whether the goroutines found at `group`'s function account for all of its goroutines. Go 1.19
    /// shows no stack for a goroutine running on another thread when the dump or profile is taken
    /// ("stack unavailable"), so its spinner may be missing under load; everything else must match.
    static func countMatches(_ found: Int, _ group: GoroutineFixtures.Manifest.Group,
                             _ toolchain: GoroutineFixtures.Toolchain) -> Bool {
        group.kind == "running" && toolchain == .go119 ? found <= group.count : found == group.count
    }

    /// The buckets whose blocking site is `function`.
    static func buckets(at function: String, in analysis: GoroutineAnalysis) -> [AnalyzedBucket] {
        analysis.buckets.filter { $0.blockingSite?.function == function }
    }
}
