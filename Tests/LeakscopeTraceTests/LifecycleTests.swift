import Foundation
import Testing
import LeakscopeFindings
import LeakscopeTestSupport
import LeakscopeTrace
import LeakscopeLifecycle

/// Findings on traces of Go programs with known shapes.
@Suite struct LifecycleTests {
    @Test func leakNamesTheCreationSiteAndWhereTheyWait() async throws {
        let file = try await TraceFixtures.trace("leak")
        let report = try LifecycleAnalysis.analyze(TraceReader(path: file.path), source: file.path)
        let leaks = report.findings.filter { $0.kind == .goroutineLeak }
        #expect(leaks.count == 1, "\(report.findings.map(\.title))")
        let leak = try #require(leaks.first)
        #expect(leak.location?.function == "main.handleRequest")
        #expect(leak.location?.file.hasSuffix("trace/shapes.go") == true)
        #expect(leak.title.contains("blocked on chan send in main.leakySender"), "\(leak.title)")
        #expect(leak.evidence.stack.prefix(2).contains { $0.hasPrefix("main.leakySender (") }, "\(leak.evidence.stack)")
        let site = try #require(report.sites.first { $0.function == "main.handleRequest" })
        #expect(site.entry == "main.leakySender")
        #expect(site.created > 50 && site.ended == 0 && site.alive == site.created)
        #expect(site.atEnd.first?.reason == "chan send")
        // The healthy workers of the same program ended (all but perhaps the last one or two).
        let healthy = try #require(report.sites.first { $0.entry == "main.healthyWorker" })
        #expect(healthy.function == "main.leakShape")
        #expect(healthy.ended >= healthy.created - 2 && healthy.created > 50)
        #expect(healthy.blocked.contains { $0.reason == "sleep" && $0.count > 50 })
        #expect(report.goroutines.created == report.sites.reduce(0) { $0 + $1.created })
        #expect(report.goroutines.alive == report.sites.reduce(0) { $0 + $1.alive })
        #expect(report.generations >= 2)
    }

    @Test func healthyProgramHasNoFindings() async throws {
        let file = try await TraceFixtures.trace("healthy")
        let report = try LifecycleAnalysis.analyze(TraceReader(path: file.path))
        #expect(report.findings.isEmpty, "\(report.findings.map(\.title))")
        let pool = try #require(report.sites.first { $0.entry == "main.poolWorker" })
        #expect(pool.created == 4 && pool.ended == 4 && pool.alive == 0)
        // Who wakes whom: the workers are woken by the goroutine that feeds their channel, which main started.
        let feeder = try #require(pool.wokenBy.first, "\(pool)")
        #expect(feeder.function == "main.main" && feeder.entry.hasPrefix("main.main.func") && feeder.count > 10, "\(pool.wokenBy)")
        #expect(pool.waits.first?.function == "main.poolWorker")
    }

    /// Goroutines leaked before the trace started are reported apart, with a lower bound on their wait.
    @Test func goroutinesFromBeforeTheTraceAreKeptApart() async throws {
        let dir = try await GoFixtures.output("trace", toolchain: .current,
                                              arguments: ["-shape", "leak", "-duration", "1s", "-warmup", "500ms"])
        let file = dir.appendingPathComponent("leak.trace")
        let report = try LifecycleAnalysis.analyze(TraceReader(path: file.path))
        let leaks = report.findings.filter { $0.kind == .goroutineLeak }
        #expect(leaks.first?.location?.function == "main.handleRequest", "\(report.findings.map(\.title))")
        let held = try #require(leaks.first { $0.title.contains("from before the trace") }, "\(report.findings.map(\.title))")
        #expect(held.location?.function == "main.leakySender")
        #expect(held.severity != .critical)
        let atLeast = try #require(held.evidence.metrics.first { $0.name == "wait_at_least_seconds" }?.value)
        #expect(atLeast >= 0.9 * report.windowSeconds)
        let before = try #require(report.sites.first { $0.preExisting && $0.function == "main.leakySender" })
        #expect(before.created == 0 && before.ended == 0 && before.alive >= 10, "\(before)")
    }

    @Test func stormIsReportedAtTheSpawningLoop() async throws {
        let file = try await TraceFixtures.trace("storm", duration: "300ms")
        let report = try LifecycleAnalysis.analyze(TraceReader(path: file.path))
        let finding = try #require(report.findings.first { $0.kind == .spawnStorm || $0.kind == .goroutineChurn },
                                   "\(report.findings.map(\.title))")
        #expect(finding.location?.function == "main.stormShape")
        #expect(!report.findings.contains { $0.kind == .goroutineLeak })
        let site = try #require(report.sites.first { $0.entry == "main.spawnedTask" })
        #expect(site.created > 10_000 && site.ended >= site.created - 100)
    }
}
