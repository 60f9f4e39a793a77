import Foundation
import LeakscopeTestSupport
@testable import LeakscopeCapture
@testable import LeakscopeCollect
@testable import LeakscopeProfile

/// Helpers shared by the capture tests.
enum CaptureTestSupport {
    /// A fresh, not yet existing directory under the temporary folder.
    static func scratchDirectory(_ name: String) -> URL {
        TestPaths.scratch
            .appendingPathComponent("leakscope-capture-\(name)-\(getpid())-\(UUID().uuidString)")
    }

    /// A target with short budgets, so a fault test never waits long.
    static func target(_ url: String, prefix: String? = nil, headers: [CaptureTarget.Header] = [],
                       timeout: Duration = .seconds(10), retries: Int = 0, maxBytes: Int = ProfileFetcher.defaultMaxBytes,
                       goroutineCeiling: Int = CaptureTarget.defaultGoroutineCeiling) throws -> CaptureTarget {
        try CaptureTarget(url: url, prefix: prefix, headers: headers, connectTimeout: .seconds(2), timeout: timeout,
                          retries: retries, initialBackoff: .milliseconds(250), maxBytes: maxBytes,
                          goroutineCeiling: goroutineCeiling)
    }

    /// Runs a capture and returns its manifest or its error.
    static func capture(_ target: CaptureTarget, snapshots: Int = 1, interval: Duration = .seconds(1), cpuSeconds: Int = 0,
                        directory: URL) async throws -> Result<CaptureManifest, CaptureError> {
        let plan = try CapturePlan(snapshots: snapshots, interval: interval, cpuSeconds: cpuSeconds, directory: directory)
        do {
            return .success(try await Capturer(target: target, plan: plan).run())
        } catch {
            return .failure(error)
        }
    }

    /// The server's request counts (`/stats`), keyed by path and query.
    static func stats(_ server: CollectServer) async throws -> (counts: [String: Int], cpuMax: Int) {
        struct Stats: Decodable {
            var counts: [String: Int]
            var cpuMax: Int
        }
        let body = try await ProfileFetcher.fetch(url: server.url("/stats"), timeout: .seconds(10))
        let stats = try JSONDecoder().decode(Stats.self, from: Data(body))
        return (stats.counts, stats.cpuMax)
    }

    /// Sum of the first value of samples whose stack contains `function`.
    static func samples(in profile: Profile, through function: String) -> Int64 {
        let wanted = Set(profile.functions.indices.filter { profile.functions[$0].name == function })
        var total: Int64 = 0
        for sample in profile.samples {
            let hit = sample.locations.contains { location in
                profile.locations[location].lines.contains { line in line.function.map(wanted.contains) ?? false }
            }
            if hit { total += sample.values.first ?? 0 }
        }
        return total
    }

    /// How many goroutines of a debug=2 dump have `function` on their stack.
    static func goroutines(in dump: String, through function: String) -> Int {
        dump.components(separatedBy: "\n\n").filter { $0.contains("\n\(function)(") }.count
    }

    static func read(_ entry: CaptureManifest.Entry?, in directory: URL) throws -> [UInt8] {
        guard let entry, let file = entry.file else { throw CollectServerError(message: "entry has no file: \(String(describing: entry))") }
        return [UInt8](try Data(contentsOf: directory.appendingPathComponent(file)))
    }
}
