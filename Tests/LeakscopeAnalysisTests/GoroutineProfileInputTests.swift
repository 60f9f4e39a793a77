import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeGoroutineAnalysis

/// The same moments as count (debug=1) and proto (debug=0) profiles: no IDs, no wait reasons.
@Suite struct GoroutineProfileInputTests {
    enum Format: String, CaseIterable { case countProfile, protoProfile }

    func urls(_ run: GoroutineFixtures.Run, _ format: Format) -> [URL] {
        format == .countProfile ? run.countProfiles : run.protoProfiles
    }

    func analyze(_ urls: [URL]) throws -> GoroutineAnalysis {
        GoroutineAnalysis.analyze(try urls.enumerated().map { index, url in
            // The profiles carry no time of their own here; a minute apart keeps per-minute rates defined.
            TimedGoroutineDump(name: url.lastPathComponent, dump: try GoroutineFixtureDumps.load(url), time: Double(index) * 60)
        })
    }

    @Test(arguments: GoroutineFixtures.Toolchain.allCases, Format.allCases)
    func countsPerSiteMatchTheProgram(_ toolchain: GoroutineFixtures.Toolchain, _ format: Format) async throws {
        let run = try await GoroutineFixtures.run(.leak, toolchain)
        let analysis = try analyze(Array(urls(run, format).prefix(1)))
        for group in run.manifest.groups {
            let buckets = GoroutineFixtureDumps.buckets(at: group.function, in: analysis)
            let found = buckets.reduce(0) { $0 + $1.count }
            #expect(GoroutineFixtureDumps.countMatches(found, group, toolchain), "\(group.function) count \(found)")
            // Kinds the library frames still tell without a wait reason.
            if ["mutex", "rwMutex", "waitGroup", "cond", "ioWait", "sleep", "syscall"].contains(group.kind) {
                #expect(buckets.allSatisfy { $0.kind.rawValue == group.kind }, "\(group.function) \(buckets.map(\.kind))")
            }
        }
        if toolchain == .current { #expect(analysis.labelled == run.manifest.labelled) }
        // Nothing here is stuck by definition or old: one profile names no suspect.
        #expect(analysis.suspects.isEmpty, "\(analysis.suspects.map { $0.suspect?.reason ?? "" })")
    }

    @Test(arguments: GoroutineFixtures.Toolchain.allCases, Format.allCases)
    func growingLeakIsFirstWithoutIDs(_ toolchain: GoroutineFixtures.Toolchain, _ format: Format) async throws {
        let run = try await GoroutineFixtures.run(.grow, toolchain)
        let analysis = try analyze(urls(run, format))
        let expected = try #require(run.manifest.groups.first { $0.function == "main.fetchBackend" }?.counts)
        let first = try #require(analysis.suspects.first)
        #expect(first.blockingSite?.function == "main.fetchBackend")
        #expect(first.growth?.counts == expected)
        #expect(first.growth?.persistence == nil)  // no IDs to follow
        #expect(first.growth?.perMinute == Double(expected[2] - expected[0]) / 2)
        #expect(analysis.suspects.allSatisfy { ["main.fetchBackend", "main.watchConfig"].contains($0.blockingSite?.function ?? "") },
                "\(analysis.suspects.map { $0.blockingSite?.function ?? "?" })")
    }

    @Test(arguments: Format.allCases)
    func healthyProfilesShowNoSuspects(_ format: Format) async throws {
        let run = try await GoroutineFixtures.run(.healthy, .current)
        let analysis = try analyze(urls(run, format))
        #expect(analysis.suspects.isEmpty, "\(analysis.suspects.map { $0.suspect?.reason ?? "" })")
    }
}
