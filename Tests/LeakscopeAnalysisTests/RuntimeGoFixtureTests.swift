import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeGodebug

/// The parser on fresh logs of `Tests/Fixtures/go/godebug`, run under go1.27 and Debian's go1.19 with
/// real GODEBUG settings: it must count exactly what the runtime printed and read the facts the
/// program controls (GOMAXPROCS, the threads it locks, the heap it keeps).
@Suite struct RuntimeGoFixtureTests {
    static let toolchains = GoToolchain.Kind.allCases

    @Test(arguments: toolchains)
    func gctraceAndSchedtraceCountEveryLine(toolchain: GoToolchain.Kind) async throws {
        let log = try await RuntimeLogs.run(toolchain, godebug: "gctrace=1,schedtrace=100", gomaxprocs: 2,
                                      ["-mode", "leak", "-duration", "1500ms"])
        let text = String(decoding: log, as: UTF8.self)
        let trace = try RuntimeLog.parse(log, source: "leak-\(toolchain)")
        let whole = RegexOracle.gcLines(text)
        let started = RegexOracle.count(#"gc \d+ @"#, in: text)
        // Every gc line the runtime started is either read or counted as torn by an interleaved write.
        #expect(trace.gcTotals.cycles == whole.count)
        #expect(trace.gcTotals.cycles + trace.lines.malformed >= started)
        #expect(trace.gcTotals.cycles >= 5)
        #expect(trace.gcCycles.allSatisfy { $0.procs == 2 })
        #expect(trace.schedSamples.allSatisfy { $0.gomaxprocs == 2 })
        #expect(trace.schedSamples.count == RegexOracle.schedLines(text).count)
        // 1.5 s at 100 ms: about 15 samples (sysmon may stretch the period on a loaded machine).
        #expect(trace.schedSamples.count >= 5)
        #expect(trace.gcTotals.forced >= 2)
        #expect(trace.lines.ignored >= RegexOracle.count(#"^app: "#, in: text))
    }

    /// gctrace=2 adds Go 1.27's per-size-class `scan:` statistics (Green Tea GC); they are runtime
    /// lines, not application lines, and do not disturb the cycles.
    @Test(arguments: toolchains)
    func gctrace2ScanStatistics(toolchain: GoToolchain.Kind) async throws {
        let log = try await RuntimeLogs.run(toolchain, godebug: "gctrace=2", gomaxprocs: 2, ["-mode", "healthy", "-duration", "500ms"])
        let text = String(decoding: log, as: UTF8.self)
        let trace = try RuntimeLog.parse(log)
        #expect(trace.gcTotals.cycles == RegexOracle.gcLines(text).count)
        #expect(trace.lines.scanStatistics == RegexOracle.count(#"^scan: "#, in: text))
        // (≥: a runtime line torn by an application write leaves its tail as one more plain line.)
        #expect(trace.lines.ignored >= RegexOracle.count(#"^app: "#, in: text))
        if toolchain == .current { #expect(trace.lines.scanStatistics > 0) }
    }

    @Test(arguments: toolchains)
    func lockedThreadsShowInSchedtrace(toolchain: GoToolchain.Kind) async throws {
        let log = try await RuntimeLogs.run(toolchain, godebug: "gctrace=1,schedtrace=100", gomaxprocs: 2,
                                      ["-mode", "threads", "-threads", "60", "-busy", "200", "-duration", "1500ms"])
        let trace = try RuntimeLog.parse(log)
        let maxThreads = try #require(trace.schedSamples.map(\.threads).max())
        #expect(maxThreads >= 60)
        // 200 runnable goroutines on 2 Ps: the queues are full while they run (most of the samples).
        let backlogged = trace.schedSamples.filter { $0.runQueueTotal > 2 }.count
        #expect(backlogged * 2 >= trace.schedSamples.count)
    }

    @Test(arguments: toolchains)
    func schedDetailAndScavtrace(toolchain: GoToolchain.Kind) async throws {
        let log = try await RuntimeLogs.run(toolchain, godebug: "gctrace=1,scavtrace=1,schedtrace=200,scheddetail=1",
                                      gomaxprocs: 3, ["-mode", "threads", "-threads", "10", "-busy", "20", "-duration", "1s"])
        let trace = try RuntimeLog.parse(log)
        let samples = trace.schedSamples
        #expect(samples.count >= 2)
        #expect(samples.allSatisfy { $0.detailed && $0.gomaxprocs == 3 })
        // The fixture's own stderr lines can tear a runtime line (the runtime prints a P line in
        // pieces): a P line cut before its runqsize is no P line. Every whole one is counted, as
        // an independent reading of the text finds them, and a sample with all three exists.
        let text = String(decoding: log, as: UTF8.self)
        #expect(samples.map(\.localRunQueues.count).reduce(0, +) == RegexOracle.count(#"^\s*P\d+: status=\d+.*?runqsize=\d+"#, in: text))
        #expect(samples.contains { $0.localRunQueues.count == 3 })
        // main + 10 locked + 20 busy goroutines exist once started; the runtime adds its own.
        let goroutines = samples.compactMap(\.goroutines)
        #expect(goroutines.count == samples.count)
        #expect((goroutines.max() ?? 0) >= 31)
        // Each locked goroutine holds its own M, and every M has a line.
        #expect((samples.compactMap(\.machines).max() ?? 0) >= 10)
        #expect((samples.map(\.threads).max() ?? 0) >= 10)
        #expect(trace.scavenges.contains { $0.forced })
    }
}
