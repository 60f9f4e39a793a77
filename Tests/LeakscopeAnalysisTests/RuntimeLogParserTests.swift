import Foundation
import Testing
@testable import LeakscopeGodebug

/// The GODEBUG log parser on the committed real captures (go1.27 and go1.19), checked line by line
/// against an independent regex reading, and on the shapes real logs take: prefixes, CRLF, chunking.
@Suite struct RuntimeLogParserTests {
    @Test(arguments: RuntimeLogs.committedNames)
    func committedLogsAgreeWithRegexReading(name: String) throws {
        let bytes = try RuntimeLogs.committed(name)
        let text = String(decoding: bytes, as: UTF8.self)
        let trace = try RuntimeLog.parse(bytes, source: name)

        let gcLines = RegexOracle.gcLines(text)
        #expect(gcLines.count >= 5)
        #expect(trace.gcTotals.cycles == gcLines.count)
        #expect(trace.oracleGCLines == gcLines)
        #expect(trace.gcTotals.forced == gcLines.filter(\.forced).count)
        #expect(trace.gcCycles.allSatisfy { $0.procs == 2 })
        #expect(trace.lines.malformed == 0)

        let sched = RegexOracle.schedLines(text)
        #expect(sched.count >= 2)
        #expect(trace.schedSamples.count == sched.count)
        #expect(trace.schedSamples.map(\.threads) == sched.map(\.threads))
        #expect(trace.schedSamples.map(\.globalRunQueue) == sched.map(\.runqueue))
        #expect(trace.schedSamples.allSatisfy { $0.gomaxprocs == 2 })

        #expect(trace.scavenges.count == RegexOracle.count(#"^scav \d+ KiB work"#, in: text))
        let appLines = RegexOracle.count(#"^app: "#, in: text)
        #expect(appLines >= 2)
        #expect(trace.lines.ignored == appLines)
        #expect(trace.lines.total == text.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
    }

    @Test func go127FieldsReadExactly() throws {
        let trace = try RuntimeLog.parse(try RuntimeLogs.committed("go1.27-leak-gctrace-schedtrace.log"))
        let text = String(decoding: try RuntimeLogs.committed("go1.27-leak-gctrace-schedtrace.log"), as: UTF8.self)
        // The first gc line, split by hand.
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("gc 1 @") })
        let cycle = try #require(trace.gcCycles.first)
        let head = line.split(separator: ":")[0]                       // gc 1 @0.062s 0%
        let seconds = Double(head.split(separator: " ")[2].dropFirst().dropLast())!
        #expect(cycle.seconds == seconds)
        let clock = line.split(separator: ": ")[1].split(separator: " ")[0].split(separator: "+").map { Double($0)! }
        #expect(cycle.clockSweepTermination == clock[0])
        #expect(cycle.clockMark == clock[1])
        #expect(cycle.clockMarkTermination == clock[2])
        #expect(cycle.pauseMilliseconds == clock[0] + clock[2])
        let cpuText = line.split(separator: " ms clock, ")[1].split(separator: " ")[0]
        let cpu = cpuText.split(whereSeparator: { $0 == "+" || $0 == "/" }).map { Double($0)! }
        #expect([cycle.cpuSweepTermination, cycle.cpuAssist, cycle.cpuBackground, cycle.cpuIdle, cycle.cpuMarkTermination] == cpu)
        #expect(cycle.stacksMB == 0 && cycle.globalsMB == 0)
        #expect(cycle.goalMB != nil)
        // Go 1.27's goroutineleak profile runs a leak-checking cycle.
        #expect(trace.gcCycles.filter(\.checkedGoroutineLeaks).count == RegexOracle.count("checking for goroutine leaks", in: text))
        #expect(trace.gcCycles.contains { $0.checkedGoroutineLeaks })
        // Plain schedtrace: per-P queues and schedticks.
        let sample = try #require(trace.schedSamples.last)
        #expect(sample.localRunQueues.count == 2)
        #expect(sample.needSpinning != nil)
        #expect(sample.schedTicksTotal != nil)
        #expect(!sample.detailed)
    }

    @Test func go119SchedLinesHaveNoNeedSpinningOrTicks() throws {
        let trace = try RuntimeLog.parse(try RuntimeLogs.committed("go1.19-leak-gctrace-schedtrace.log"))
        #expect(trace.schedSamples.allSatisfy { $0.needSpinning == nil && $0.schedTicksTotal == nil && $0.localRunQueues.count == 2 })
        #expect(trace.gcCycles.allSatisfy { !$0.checkedGoroutineLeaks })
    }

    @Test(arguments: ["go1.27-healthy-scavtrace-scheddetail.log", "go1.19-healthy-scavtrace-scheddetail.log"])
    func schedDetailFoldsIntoSamples(name: String) throws {
        let bytes = try RuntimeLogs.committed(name)
        let text = String(decoding: bytes, as: UTF8.self)
        let trace = try RuntimeLog.parse(bytes)
        #expect(trace.schedSamples.allSatisfy { $0.detailed })
        // Count, per SCHED block, the G lines that are not dead (status 6) and the P and M lines.
        var expected: [(goroutines: Int, procs: Int, machines: Int)] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("SCHED ") { expected.append((0, 0, 0)); continue }
            guard !expected.isEmpty else { continue }
            if line.hasPrefix("  G"), let status = line.split(separator: "status=").last?.prefix(while: \.isNumber),
               Int(status) != 6 { expected[expected.count - 1].goroutines += 1 }
            if line.hasPrefix("  P") { expected[expected.count - 1].procs += 1 }
            if line.hasPrefix("  M") { expected[expected.count - 1].machines += 1 }
        }
        #expect(trace.schedSamples.count == expected.count)
        #expect(trace.schedSamples.map { $0.goroutines ?? -1 } == expected.map(\.goroutines))
        #expect(trace.schedSamples.map(\.localRunQueues.count) == expected.map(\.procs))
        #expect(trace.schedSamples.map { $0.machines ?? -1 } == expected.map(\.machines))
        #expect(trace.lines.schedDetail == RegexOracle.count(#"^  [PMG]\d+: "#, in: text))
        // scavtrace, with the final debug.FreeOSMemory marked forced.
        #expect(trace.scavenges.count == RegexOracle.count(#"^scav "#, in: text))
        #expect(trace.scavenges.last?.forced == true)
        if name.hasPrefix("go1.27") {
            #expect(trace.scavenges.allSatisfy { $0.eagerKiB != nil })
        } else {
            #expect(trace.scavenges.allSatisfy { $0.eagerKiB == nil })
        }
    }

    @Test func logShipperPrefixesAndCRLFReadTheSame() throws {
        let bytes = try RuntimeLogs.committed("go1.27-leak-gctrace-schedtrace.log")
        let plain = try RuntimeLog.parse(bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        let shipped = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .enumerated().map { "2026-11-27T14:01:\(String(format: "%02d", $0.offset % 60)).123456Z stderr F \($0.element)\r\n" }
            .joined()
        let prefixed = try RuntimeLog.parse(Array(shipped.utf8))
        #expect(prefixed.oracleGCLines == plain.oracleGCLines)
        #expect(prefixed.schedSamples.map(\.threads) == plain.schedSamples.map(\.threads))
        #expect(prefixed.lines.runtime == plain.lines.runtime)
        #expect(prefixed.lines.ignored == plain.lines.ignored)
    }

    @Test func anyChunkingGivesTheSameTrace() throws {
        let bytes = try RuntimeLogs.committed("go1.19-healthy-scavtrace-scheddetail.log")
        let whole = try RuntimeLog.parse(bytes)
        for size in [1, 2, 7, 64, 4096] {
            var parser = RuntimeLogParser()
            var offset = 0
            while offset < bytes.count {
                parser.consume(Array(bytes[offset..<min(offset + size, bytes.count)]))
                offset += size
            }
            #expect(parser.finish() == whole, "chunk size \(size)")
        }
    }

    /// The format Go 1.6–1.18 printed (no stacks or globals), as runtime/extern.go of those releases
    /// documents it, and the Go 1.5 five-phase form: read by tokens, not positions.
    @Test func olderGCFormsReadByTokens() throws {
        let old = "gc 21 @8.389s 1%: 0.013+1.4+0.011 ms clock, 0.052+0.35/1.3/3.1+0.045 ms cpu, 13->13->6 MB, 14 MB goal, 4 P\n"
        let cycle = try #require(try RuntimeLog.parse(Array(old.utf8)).gcCycles.first)
        #expect(cycle.number == 21 && cycle.seconds == 8.389 && cycle.cpuPercent == 1)
        #expect(cycle.heapStartMB == 13 && cycle.heapEndMB == 13 && cycle.heapLiveMB == 6 && cycle.goalMB == 14)
        #expect(cycle.stacksMB == nil && cycle.globalsMB == nil && cycle.procs == 4 && !cycle.forced)
        #expect(cycle.cpuAssist == 0.35 && cycle.cpuBackground == 1.3 && cycle.cpuIdle == 3.1)

        let go15 = "gc 2 @0.107s 4%: 0.14+0.43+0.015+0.87+0.22 ms clock, 0.57+0.43+0+0.24/0.44/0.45+0.88 ms cpu, 4->4->1 MB, 5 MB goal, 4 P\n"
        let five = try #require(try RuntimeLog.parse(Array(go15.utf8)).gcCycles.first)
        #expect(five.clockSweepTermination == 0.14 && five.clockMarkTermination == 0.22)
        #expect(abs(five.clockMark - (0.43 + 0.015 + 0.87)) < 1e-9)
        #expect(five.cpuAssist == 0.24 && five.cpuBackground == 0.44 && five.cpuIdle == 0.45 && five.cpuMarkTermination == 0.88)
    }

    @Test func scavengerAndOtherRuntimeLines() throws {
        let log = """
        scav 3 1024 KiB work, 2048 KiB total, 57% util
        scav 12 KiB work, 34 KiB total, 56% util [controller reset]
        scvg4: inuse: 4, idle: 1, sys: 5, released: 0, consumed: 5 (MB)
        scvg4: 2 MB released
        GC forced
        scan: total 1+2+3=6 objs, 4+5=9 spans
        SCHED 0ms: gomaxprocs=1 idleprocs=0 threads=3 spinningthreads=0 idlethreads=0 runqueue=0 [0]
        app: scan: done, scav is short for scavenger

        """
        let trace = try RuntimeLog.parse(Array(log.utf8))
        #expect(trace.scavenges.count == 2)
        #expect(trace.scavenges[0].workKiB == 1024 && trace.scavenges[0].releasedKiB == 2048 && trace.scavenges[0].utilPercent == 57)
        #expect(trace.scavenges[1].controllerReset && !trace.scavenges[1].forced)
        let legacy = try #require(trace.legacyScavenges.first)
        #expect([legacy.inuseMB, legacy.idleMB, legacy.sysMB, legacy.releasedMB, legacy.consumedMB, legacy.line] == [4, 1, 5, 0, 5, 3] as [Int])
        #expect(trace.lines.periodicGCForced == 1)
        #expect(trace.lines.scanStatistics == 1)
        #expect(trace.schedSamples.first?.localRunQueues == [0])
        #expect(trace.lines.runtime == 7 && trace.lines.ignored == 1)
    }

    @Test func restartsAreCounted() throws {
        let bytes = try RuntimeLogs.committed("go1.19-leak-gctrace-schedtrace.log")
        let trace = try RuntimeLog.parse(bytes + bytes)
        #expect(trace.gcTotals.restarts == 1)
        let once = try RuntimeLog.parse(bytes)
        #expect(trace.gcTotals.cycles == 2 * once.gcTotals.cycles)
    }

    @Test func sniffer() throws {
        for name in RuntimeLogs.committedNames {
            let log = try RuntimeLogs.committed(name)
            #expect(RuntimeLog.looksLikeRuntimeLog(log))
        }
        // The marker after 64 KiB of application lines is not seen.
        let app = String(repeating: "app: request served in 3ms\n", count: 3000)
        let late = Array(app.utf8) + (try RuntimeLogs.committed(RuntimeLogs.committedNames[0]))
        #expect(!RuntimeLog.looksLikeRuntimeLog(late))
        #expect(!RuntimeLog.looksLikeRuntimeLog(Array("<html><body>gc is great</body></html>".utf8)))
        #expect(!RuntimeLog.looksLikeRuntimeLog([UInt8]()))
        #expect(!RuntimeLog.looksLikeRuntimeLog([0x1f, 0x8b, 0x08, 0x00] + [UInt8](repeating: 0, count: 100)))
        // A slice works too.
        let bytes = try RuntimeLogs.committed(RuntimeLogs.committedNames[1])
        #expect(RuntimeLog.looksLikeRuntimeLog(bytes[0...]))
    }
}
