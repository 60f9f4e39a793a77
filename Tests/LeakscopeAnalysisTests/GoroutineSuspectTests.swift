import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeGoroutineAnalysis

/// Telling leaks from healthy waiting on the fixture program's real dumps.
@Suite struct GoroutineSuspectTests {
    @Test(arguments: GoroutineFixtures.Toolchain.allCases)
    func healthyServiceShowsNoSuspects(_ toolchain: GoroutineFixtures.Toolchain) async throws {
        let run = try await GoroutineFixtures.run(.healthy, toolchain)
        #expect(run.dumps.count == 3)
        let series = try GoroutineFixtureDumps.analyze(run)
        #expect(series.suspects.isEmpty, "\(series.suspects.map { $0.suspect?.reason ?? "" })")
        #expect(series.change != nil)
        for i in run.dumps.indices {
            let single = try GoroutineFixtureDumps.analyze(run, only: [i])
            #expect(single.suspects.isEmpty, "dump \(i + 1): \(single.suspects.map { $0.suspect?.reason ?? "" })")
        }
        let pool = GoroutineFixtureDumps.buckets(at: "main.(*service).worker", in: series)
        #expect(pool.reduce(0) { $0 + $1.count } == run.manifest.groups.first { $0.function == "main.(*service).worker" }?.count)
        // The pool persists by ID across dumps: nothing new, nothing gone.
        #expect(pool.allSatisfy { $0.growth?.persisted == $0.count && $0.growth?.delta == 0 })
    }

    @Test(arguments: GoroutineFixtures.Toolchain.allCases)
    func runtimeGoroutinesInACrashDumpAreHealthy(_ toolchain: GoroutineFixtures.Toolchain) async throws {
        let run = try await GoroutineFixtures.run(.healthy, toolchain)
        let crash = try #require(run.crashDump)
        let analysis = GoroutineAnalysis.analyze([TimedGoroutineDump(name: "sigquit", dump: try GoroutineFixtureDumps.load(crash))])
        #expect(analysis.suspects.isEmpty, "\(analysis.suspects.map { $0.suspect?.reason ?? "" })")
        // GOTRACEBACK=system shows the runtime's own goroutines; each is known as healthy.
        let runtime = analysis.buckets.filter { $0.kind == .runtime }
        #expect(runtime.contains { $0.state == "finalizer wait" } && runtime.contains { $0.state == "force gc (idle)" })
        #expect(runtime.allSatisfy { $0.healthyShape != nil })
        // The program's own goroutines are all there.
        let pool = GoroutineFixtureDumps.buckets(at: "main.(*service).worker", in: analysis)
        #expect(pool.reduce(0) { $0 + $1.count } == run.manifest.groups.first { $0.function == "main.(*service).worker" }?.count)
    }

    @Test(arguments: GoroutineFixtures.Toolchain.allCases)
    func growingLeakIsTheFirstSuspect(_ toolchain: GoroutineFixtures.Toolchain) async throws {
        let run = try await GoroutineFixtures.run(.grow, toolchain)
        let expected = try #require(run.manifest.groups.first { $0.function == "main.fetchBackend" }?.counts)
        let subscribers = try #require(run.manifest.groups.first { $0.function == "main.watchConfig" }?.counts)
        for indices in [[0, 1, 2], [0, 2], [1, 2]] {
            let analysis = try GoroutineFixtureDumps.analyze(run, only: indices)
            let suspects = analysis.suspects
            let first = try #require(suspects.first)
            #expect(first.blockingSite?.function == "main.fetchBackend", "dumps \(indices)")
            #expect(first.kind == .chanSend)
            #expect(first.growth?.counts == indices.map { expected[$0] })
            #expect(first.count == expected[indices.last!])
            let suspect = try #require(first.suspect)
            #expect(suspect.rank == 1)
            #expect(suspect.reason.contains("grew"))
            #expect(suspect.reason.contains("main.fetchBackend"))
            #expect(suspect.remedy?.contains("send on unbuffered channel after the receiver returned") == true)
            #expect(suspect.remedy?.contains("buffer it") == true && suspect.remedy?.contains("ctx.Done()") == true)
            // The subscriber leak, on a channel held by a global, is found too, ranked below.
            let second = try #require(suspects.dropFirst().first)
            #expect(second.blockingSite?.function == "main.watchConfig")
            #expect(second.growth?.counts == indices.map { subscribers[$0] })
            #expect(second.suspect?.remedy?.contains("close()") == true)
            // Nothing else is a suspect: the healthy shapes around the leaks stay quiet.
            #expect(suspects.count == 2, "\(suspects.map { $0.blockingSite?.function ?? "?" })")
            let rate = try #require(first.growth?.perMinute)
            #expect(rate > 0)
        }
    }

    @Test(arguments: GoroutineFixtures.Toolchain.allCases)
    func singleLeakDumpSuspectsOnlyLeaks(_ toolchain: GoroutineFixtures.Toolchain) async throws {
        let run = try await GoroutineFixtures.run(.leak, toolchain)
        let analysis = try GoroutineFixtureDumps.analyze(run, withLeakProfile: true)
        let leaks = Set(run.manifest.groups.filter(\.leak).map(\.function))
        #expect(!analysis.suspects.isEmpty)
        for bucket in analysis.suspects {
            #expect(leaks.contains(bucket.blockingSite?.function ?? "?"), "\(bucket.blockingSite?.function ?? "?")")
            #expect(bucket.suspect?.remedy != nil)
        }
        // Blocked forever by definition: suspects from one dump, without any leak profile.
        let plain = try GoroutineFixtureDumps.analyze(run)
        for group in run.manifest.groups where group.kind == "nilChannel" || group.kind == "emptySelect" {
            let buckets = GoroutineFixtureDumps.buckets(at: group.function, in: plain)
            #expect(!buckets.isEmpty && buckets.allSatisfy { $0.suspect != nil }, "\(group.function)")
        }
    }

    @Test(arguments: GoroutineFixtures.Toolchain.allCases)
    func oldLockWaitsAreSuspectsFromOneDump(_ toolchain: GoroutineFixtures.Toolchain) async throws {
        let run = try await GoroutineFixtures.run(.aged, toolchain)
        let analysis = try GoroutineFixtureDumps.analyze(run)
        let lockKinds: Set<String> = ["mutex", "rwMutex"]
        for group in run.manifest.groups {
            let buckets = GoroutineFixtureDumps.buckets(at: group.function, in: analysis)
            let found = buckets.reduce(0) { $0 + $1.count }
            #expect(GoroutineFixtureDumps.countMatches(found, group, toolchain), "\(group.function) count \(found)")
            if group.kind == "running" { continue }
            // Every goroutine has waited over a minute, and the header says so.
            #expect(buckets.allSatisfy { $0.waitMinutes.min >= 1 }, "\(group.function) \(buckets.map(\.waitMinutes))")
            if lockKinds.contains(group.kind) {
                // Including the mutex held through a global, which the runtime's leak check cannot see.
                #expect(buckets.allSatisfy { $0.suspect?.reason.contains("minute") == true }, "\(group.function)")
            }
            if !group.leak { #expect(buckets.allSatisfy { $0.suspect == nil }, "\(group.function)") }
        }
    }

    @Test func newAndGoneGoroutinesMatchTheHeaders() async throws {
        let run = try await GoroutineFixtures.run(.grow, .current)
        // Oracle: goroutine IDs read from the header lines of the last two dumps.
        func ids(_ url: URL) throws -> Set<Int64> {
            Set(try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap { line -> Int64? in
                guard line.hasPrefix("goroutine ") else { return nil }
                return Int64(line.dropFirst("goroutine ".count).prefix { $0.isNumber })
            })
        }
        let before = try ids(run.dumps[1]), after = try ids(run.dumps[2])
        let analysis = try GoroutineFixtureDumps.analyze(run)
        let change = try #require(analysis.change)
        #expect(change.new == after.subtracting(before).count)
        #expect(change.gone == before.subtracting(after).count)
        #expect(change.persisted == after.intersection(before).count)
        #expect(change.new > 0 && change.persisted > 0)
    }

    @Test func leakProfileMarksAreEvidence() async throws {
        let run = try await GoroutineFixtures.run(.leak, .current)
        let leakDump = try #require(run.leakDumps.first)
        // Oracle: the runtime's own marks in the goroutineleak dump, counted from the text.
        let text = try String(contentsOf: leakDump, encoding: .utf8)
        let marked = text.split(separator: "\n").filter { $0.hasPrefix("goroutine ") && $0.contains("(leaked)") }.count
        #expect(marked > 0)
        let without = try GoroutineFixtureDumps.analyze(run)
        let with = try GoroutineFixtureDumps.analyze(run, withLeakProfile: true)
        #expect(without.buckets.reduce(0) { $0 + $1.leaked } == 0)
        #expect(with.buckets.reduce(0) { $0 + $1.leaked } == marked)
        // Every marked bucket became a suspect, and the leak profile never marks the healthy ones.
        let healthy = Set(run.manifest.groups.filter { !$0.leak }.map(\.function))
        for bucket in with.buckets where bucket.leaked > 0 {
            #expect(bucket.suspect != nil)
            #expect(!healthy.contains(bucket.blockingSite?.function ?? ""))
        }
    }
}
