import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeGodebug
@testable import LeakscopeGodebugAnalysis

/// Verdicts and findings on real logs of the godebug fixture: a leak is called a leak, a healthy
/// sawtooth says nothing of warning level, locked threads and runnable goroutines show up as such.
@Suite struct RuntimeSummaryTests {
    static let toolchains = GoToolchain.Kind.allCases

    static func summary(_ toolchain: GoToolchain.Kind, _ arguments: [String], godebug: String = "gctrace=1,schedtrace=100")
        async throws -> RuntimeSummary {
        let log = try await RuntimeLogs.run(toolchain, godebug: godebug, gomaxprocs: 2, arguments)
        return RuntimeSummary(try RuntimeLog.parse(log, source: "fixture"), source: "fixture")
    }

    @Test(arguments: toolchains)
    func leakingHeapIsFoundAndHealthyIsQuiet(toolchain: GoToolchain.Kind) async throws {
        // leak: 256 KiB kept every 10 ms ≈ 25 MiB/s, for 2 s.
        let leak = try await Self.summary(toolchain, ["-mode", "leak", "-duration", "2s"])
        let heap = try #require(leak.heap)
        #expect(heap.shape == .steadyGrowth)
        #expect(heap.slopeMBPerMinute > 300)
        #expect(heap.lastLiveMB >= 30)
        #expect(heap.lastLiveMB > heap.firstLiveMB + 20)
        #expect(heap.verdict.level >= .warning)
        let finding = try #require(leak.findings.first { $0.kind == .heapGrowth })
        #expect(finding.severity <= .warning)
        #expect(finding.location == nil)
        #expect(finding.hint.contains("leakscope diagnose"))
        #expect(finding.evidence.series?.count == leak.series.heapLiveMB.count)
        #expect(finding.evidence.perMinute == heap.slopeMBPerMinute)

        // healthy: the same garbage, a fixed 8 MiB kept, for 3 s.
        let healthy = try await Self.summary(toolchain, ["-mode", "healthy", "-duration", "3s"])
        let flat = try #require(healthy.heap)
        #expect(flat.shape == .flat || flat.shape == .levelledOff)
        #expect(abs(flat.lateSlopeMBPerMinute) < 30)
        #expect(flat.lastLiveMB >= 8 && flat.lastLiveMB <= 12)
        #expect(healthy.findings.allSatisfy { $0.severity == .info }, "\(healthy.findings.map(\.title))")
        #expect(healthy.level == .ok)
        #expect(healthy.gcCPU?.verdict.level == .ok)
        #expect(healthy.threads?.verdict.level == .ok)
    }

    @Test(arguments: toolchains)
    func lockedThreadsAndBusyGoroutines(toolchain: GoToolchain.Kind) async throws {
        let summary = try await Self.summary(toolchain, ["-mode", "threads", "-threads", "60", "-busy", "200", "-duration", "1500ms"])
        let threads = try #require(summary.threads)
        #expect(threads.max >= 60)
        #expect(threads.gomaxprocs == 2)
        #expect(threads.verdict.level == .warning)
        #expect(summary.findings.contains { $0.kind == .threadGrowth && $0.severity == .warning })
        let scheduler = try #require(summary.scheduler)
        #expect(scheduler.backloggedShare >= 0.5)
        #expect(scheduler.verdict.level >= .warning)
        #expect(summary.findings.contains { $0.kind == .schedulerBacklog })
        #expect(!summary.findings.contains { $0.kind == .heapGrowth })
    }

    /// schedtrace alone prints no goroutine count; with scheddetail the G lines give one, and a
    /// program that starts 10 goroutines every 10 ms that never end is called out.
    @Test(arguments: toolchains)
    func goroutineGrowthFromSchedDetail(toolchain: GoToolchain.Kind) async throws {
        let godebug = "schedtrace=200,scheddetail=1"
        let leak = try await Self.summary(toolchain, ["-mode", "goroutines", "-leak-goroutines", "10", "-duration", "1500ms"], godebug: godebug)
        let goroutines = try #require(leak.goroutines)
        #expect(goroutines.samples >= 5)
        #expect(goroutines.last - goroutines.first >= 500)
        #expect(goroutines.verdict.level >= .warning)
        let finding = try #require(leak.findings.first { $0.kind == .goroutineLeak })
        #expect(finding.location == nil)
        #expect(finding.hint.contains("leakscope goroutines"))

        let healthy = try await Self.summary(toolchain, ["-mode", "healthy", "-duration", "1500ms"], godebug: godebug)
        let steady = try #require(healthy.goroutines)
        #expect(steady.samples >= 5)
        #expect(steady.verdict.level == .ok)
        #expect(!healthy.findings.contains { $0.severity <= .warning })
    }

    @Test func committedLogsSummaries() throws {
        let bytes = try RuntimeLogs.committed("go1.27-leak-gctrace-schedtrace.log")
        let leak = RuntimeSummary(try RuntimeLog.parse(bytes), source: "leak.log")
        #expect(try RuntimeLog.summarize(bytes, source: "leak.log") == leak)
        #expect(leak.findings.allSatisfy { $0.evidence.sources == ["leak.log"] })
        #expect(leak.heap?.shape == .steadyGrowth)
        #expect(leak.findings.map(\.kind) == [.heapGrowth])
        for name in ["go1.27-healthy-scavtrace-scheddetail.log", "go1.19-healthy-scavtrace-scheddetail.log"] {
            let healthy = RuntimeSummary(try RuntimeLog.parse(try RuntimeLogs.committed(name)))
            #expect(healthy.findings.isEmpty, "\(name)")
            #expect(healthy.scavenger?.forced == 1)
            #expect(healthy.series.goroutines.count == healthy.scheduler?.samples)
        }
    }

    /// Hand-made series with known answers, for the thresholds' edges.
    @Test func verdictEdges() throws {
        func log(_ lives: [Int], every seconds: Double = 10, percent: Int = 1, clock: String = "0.1+1.0+0.1") -> [UInt8] {
            var text = ""
            for (index, live) in lives.enumerated() {
                text += "gc \(index + 1) @\(RuntimeNumberProbe.seconds(Double(index) * seconds))s \(percent)%: \(clock) ms clock, "
                    + "0.2+0.1/1.0/0.5+0.2 ms cpu, \(live + 2)->\(live + 3)->\(live) MB, \(2 * live + 4) MB goal, 0 MB stacks, 0 MB globals, 4 P\n"
            }
            return Array(text.utf8)
        }
        // Linear growth 100 → 190 MiB over 90 s: +60 MiB/min, R² 1, not doubled: warning.
        let growing = RuntimeSummary(try RuntimeLog.parse(log(Array(stride(from: 100, through: 190, by: 10)))))
        #expect(growing.heap?.shape == .steadyGrowth)
        #expect(growing.heap?.verdict.level == .warning)
        #expect(abs((growing.heap?.slopeMBPerMinute ?? 0) - 60) < 1e-6)
        // Doubled: critical.
        let doubled = RuntimeSummary(try RuntimeLog.parse(log(Array(stride(from: 10, through: 100, by: 10)))))
        #expect(doubled.heap?.verdict.level == .critical)
        // Warm-up then flat: not a leak.
        let warm = RuntimeSummary(try RuntimeLog.parse(log([10, 30, 50, 70, 80, 80, 80, 80, 80, 80, 80, 80])))
        #expect(warm.heap?.shape == .levelledOff)
        #expect(warm.findings.isEmpty)
        // Sawtooth around 50 MiB.
        let saw = RuntimeSummary(try RuntimeLog.parse(log([50, 52, 49, 51, 50, 53, 48, 50, 51, 49])))
        #expect(saw.heap?.shape == .flat)
        // Under 4 MiB of growth is noise in whole-MiB figures.
        let small = RuntimeSummary(try RuntimeLog.parse(log([1, 1, 2, 2, 3, 3, 4, 4])))
        #expect(small.heap?.verdict.level == .ok)
        // Too few cycles.
        #expect(RuntimeSummary(try RuntimeLog.parse(log([1, 50, 100]))).heap?.shape == .insufficient)

        // GC CPU: the runtime's cumulative figure drives the verdict.
        #expect(RuntimeSummary(try RuntimeLog.parse(log([5, 5, 5, 5, 5], percent: 9))).gcCPU?.verdict.level == .ok)
        #expect(RuntimeSummary(try RuntimeLog.parse(log([5, 5, 5, 5, 5], percent: 12))).gcCPU?.verdict.level == .warning)
        let hot = RuntimeSummary(try RuntimeLog.parse(log([5, 5, 5, 5, 5], percent: 40)))
        #expect(hot.gcCPU?.verdict.level == .critical)
        #expect(hot.findings.first?.kind == .gcPressure && hot.findings.first?.severity == .critical)
        // Recent window from CPU phases: 0.2 + 0.1 + 1.0 + 0.2 = 1.5 ms charged per cycle (idle
        // marking is free) every 10 ms on 4 P = 3.75 %.
        let recent = RuntimeSummary(try RuntimeLog.parse(log([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5], every: 0.01, percent: 0)))
        #expect(abs((recent.gcCPU?.recentPercent ?? 0) - 3.75) < 0.01)
        #expect(abs((recent.gcFrequency?.perMinute ?? 0) - 6000) < 1)
        // 100 GCs a second at under 5 % CPU: frequent but cheap, an info finding only.
        #expect(recent.gcFrequency?.verdict.level == .ok)
        #expect(recent.findings.map(\.kind) == [.gcPressure])
        #expect(recent.findings.first?.severity == .info)
        // The same rate at 6 % cumulative GC CPU: a warning.
        let fives = [Int](repeating: 5, count: 103)
        let busy = RuntimeSummary(try RuntimeLog.parse(log(fives, every: 0.01, percent: 6)))
        #expect(busy.gcCPU?.verdict.level == .ok)
        #expect(busy.gcFrequency?.verdict.level == .warning)
        #expect(busy.findings.first?.kind == .gcPressure && busy.findings.first?.severity == .warning)

        // Pauses: 0.1 + 0.1 ms is fine; 30 + 30 ms in every cycle is a warning; 300 + 300 ms critical.
        #expect(RuntimeSummary(try RuntimeLog.parse(log([5, 5, 5, 5, 5]))).pauses?.verdict.level == .ok)
        let slow = RuntimeSummary(try RuntimeLog.parse(log([5, 5, 5, 5, 5], clock: "10+1.0+10")))
        #expect(slow.pauses?.verdict.level == .warning)
        #expect(slow.pauses?.maxMilliseconds == 20)
        #expect(slow.findings.contains { $0.kind == .gcPause })
        #expect(RuntimeSummary(try RuntimeLog.parse(log([5, 5, 5, 5, 5], clock: "300+1.0+300"))).pauses?.verdict.level == .critical)
    }
}

enum RuntimeNumberProbe {
    /// Seconds as gctrace prints them: three decimals.
    static func seconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
