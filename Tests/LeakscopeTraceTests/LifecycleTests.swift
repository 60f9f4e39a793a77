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
