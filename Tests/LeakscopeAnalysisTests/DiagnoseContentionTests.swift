import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeProfileAnalysis
@testable import LeakscopeProfile

/// Lock contention and blocking on real mutex and block profiles: eight workers fighting for one
/// lock held across slow work, and idle workers waiting on a channel.
@Suite struct DiagnoseContentionTests {
    func contended(_ toolchain: GoToolchain.Kind = .current) async throws -> (mutex: [TimedProfile], block: [TimedProfile]) {
        let dir = try await DiagnoseFixture.directory("contention", toolchain)
        return (try DiagnoseFixture.series(dir, "mutex", "pb.gz", count: 2), try DiagnoseFixture.series(dir, "block", "pb.gz", count: 2))
    }

    @Test(arguments: GoToolchain.Kind.allCases)
    func contendedLockNamesTheHolder(_ toolchain: GoToolchain.Kind) async throws {
        let (mutex, block) = try await contended(toolchain)
        let report = ContentionAnalysis.analyze(mutex: mutex, block: block)
        // The fixture contends for one second between the snapshots.
        let elapsed = try #require(report.elapsedSeconds)
        #expect(elapsed >= 1 && elapsed < 10, "\(elapsed)")
        #expect(report.rateBasis.hasPrefix("delta of 2 snapshots"))

        let top = try #require(report.findings.first, "\(report.notes)")
        #expect(top.kind == .lockContention)
        #expect(top.location?.function == "main.(*Store).Update")
        #expect(top.location?.line == 22, "the Unlock line: \(top.title)")
        #expect(top.location?.file.hasSuffix("diagnose/contention.go") == true)
        #expect(top.severity <= .warning, "\(top.severity) \(top.score)")
        #expect(top.title.hasPrefix("Lock contention at main.(*Store).Update (diagnose/contention.go:22): on average "), "\(top.title)")
        #expect(top.title.contains("goroutines waiting for the lock it holds"))
        let waiting = try #require(top.evidence.metrics.first { $0.name == "waiting_goroutines_avg" }?.value)
        // Eight workers: at most seven can wait while one holds the lock.
        #expect(waiting > 0.5 && waiting <= 7.5, "\(waiting)")
        #expect(top.evidence.metrics.contains { $0.name == "contentions_per_second" && $0.value > 1 })
        // go1.19's mutex profile charges one waiter per Unlock (Go 1.22 started counting all of them):
        // the waiting figure then comes from the block profile's lock waits.
        #expect(top.evidence.summary.contains("from the block profile's lock waits") == (toolchain == .debian119),
                "\(top.evidence.summary)")
        #expect(top.evidence.summary.contains("Goroutines waited for locks at main.(*Store).Update (diagnose/contention.go:20)"),
                "\(top.evidence.summary)")
        #expect(top.hint.contains("Shorten the critical section in main.(*Store).Update"))
        #expect(top.hint.contains("defer mu.Unlock()"))
        #expect(top.evidence.stack.first?.hasPrefix("sync.(*Mutex).Unlock") == true, "\(top.evidence.stack)")

        let waiter = try #require(report.waiters.first { $0.location.function == "main.(*Store).Update" })
        #expect(waiter.kind == .mutex && waiter.location.line == 20)
        #expect(waiter.call == "sync.(*Mutex).Lock")
        // The lock waits are evidence for the holder finding, not a finding of their own.
        #expect(!report.findings.contains { $0.location?.line == 20 })
        // main waiting for its workers is coordination: info at most.
        let coordinator = try #require(report.waiters.first { $0.kind == .waitGroup })
        #expect(coordinator.location.function == "main.contentionMode")
        #expect(!report.findings.contains { $0.kind == .blockingWait }, "\(report.findings.map(\.title))")
    }

    @Test func blockProfileAloneBlamesTheWaiters() async throws {
        let (_, block) = try await contended()
        let report = ContentionAnalysis.analyze(mutex: [], block: block)
        let top = try #require(report.findings.first)
        #expect(top.kind == .lockContention)
        #expect(top.location?.function == "main.(*Store).Update" && top.location?.line == 20, "\(top.title)")
        #expect(top.title.contains("to take a sync.Mutex"))
        #expect(top.severity <= .warning)
    }

    @Test func idleChannelWorkersAreHealthy() async throws {
        let dir = try await DiagnoseFixture.directory("idle-wait")
        let report = ContentionAnalysis.analyze(mutex: try DiagnoseFixture.series(dir, "mutex", "pb.gz", count: 2),
                                                block: try DiagnoseFixture.series(dir, "block", "pb.gz", count: 2))
        let workers = try #require(report.waiters.first { $0.location.function == "main.idleWorker" })
        #expect(workers.kind == .chanReceive && workers.location.line == 36)
        // Eight workers waiting nearly all the time.
        #expect((workers.averageWaiting ?? 0) > 4, "\(workers)")
        // Idle waiting is how worker pools wait: kept in `waiters`, but no finding at all.
        #expect(report.findings.isEmpty, "\(report.findings.map(\.title))")
    }

    @Test func oneSnapshotWithoutDurationClaimsNoRate() async throws {
        let (mutex, block) = try await contended()
        let report = ContentionAnalysis.analyze(mutex: [mutex[1]], block: [block[1]])
        #expect(report.elapsedSeconds == nil)
        #expect(report.notes.contains { $0.contains("totals since the process started") })
        #expect(report.holders.first?.averageWaiting == nil)
        let top = try #require(report.findings.first)
        #expect(top.location?.function == "main.(*Store).Update")
        #expect(report.findings.allSatisfy { $0.severity == .info })
        #expect(top.title.contains("s of waiting since start"))
    }

    @Test func legacyContentionTextAndHostileProfilesDoNotCrash() throws {
        let url = TestPaths.pprofCorpus.appendingPathComponent("profile/testdata/cppbench.contention")
        let legacy = TimedProfile(name: "cppbench.contention", profile: try Profile.parse([UInt8](try Data(contentsOf: url))))
        let report = ContentionAnalysis.analyze(mutex: [legacy], block: [])
        #expect(!report.holders.isEmpty)
        #expect(report.findings.allSatisfy { $0.severity == .info })

        var dangling = Profile()
        dangling.sampleTypes = [ValueType(type: "contentions", unit: "count"), ValueType(type: "delay", unit: "nanoseconds")]
        dangling.functions = [Function(id: 1, name: "main.f")]
        dangling.locations = [Location(id: 1, lines: [Line(function: 4), Line(function: 0, line: Int64.max)])]
        dangling.samples = [Sample(locations: [0, 12], values: [Int64.max, Int64.max]),
                            Sample(locations: [0], values: [-4, Int64.min]), Sample(locations: [], values: [1])]
        var noTypes = Profile()
        noTypes.samples = [Sample(locations: [1], values: [1])]
        let hostile = [TimedProfile(name: "a", profile: dangling, time: 10), TimedProfile(name: "b", profile: noTypes, time: 10),
                       TimedProfile(name: "c", profile: dangling, time: 5)]
        for (mutex, block) in [(hostile, hostile), ([], []), (Array(hostile.prefix(1)), []), ([], Array(hostile.suffix(2)))] {
            let r = ContentionAnalysis.analyze(mutex: mutex, block: block)
            #expect(r.findings.allSatisfy { (0...100).contains($0.score) })
        }
        #expect(ContentionAnalysis.analyze(mutex: [], block: []).notes.contains("no mutex or block profiles"))

        // Enormous but valid numbers make findings whose text must still format.
        var before = dangling, after = dangling
        before.samples = [Sample(locations: [0], values: [0, 0])]
        after.samples = [Sample(locations: [0], values: [Int64.max, Int64.max]), Sample(locations: [0], values: [Int64.max, Int64.max])]
        let huge = ContentionAnalysis.analyze(mutex: [TimedProfile(name: "m1", profile: before, time: 1), TimedProfile(name: "m2", profile: after, time: 1.000_000_001)],
                                              block: [TimedProfile(name: "b1", profile: before, time: 1), TimedProfile(name: "b2", profile: after, time: 3)])
        #expect(huge.findings.count == 2 && huge.findings[0].score == 100, "\(huge.findings.map(\.title))")
        #expect(huge.findings.first?.title.contains("e+") == true)
    }
}
