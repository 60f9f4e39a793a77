import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeGodebug
@testable import LeakscopeGodebugAnalysis
@testable import LeakscopePresentation

/// Input that is not a runtime log, or a runtime log damaged in every way a pipe can damage it:
/// a clear error or a count of malformed lines, never a crash, never unbounded memory.
@Suite struct RuntimeHostileInputTests {
    static let goodLine = "gc 7 @0.038s 5%: 0.053+0.54+0.003 ms clock, 0.10+0/0.13/0.44+0.006 ms cpu, 29->29->19 MB, 41 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)"

    @Test func noRuntimeLinesIsATypedErrorNamingTheFirstLine() {
        let input = Array("\n  \nINFO starting server on :8080\nINFO ready\n".utf8)
        #expect {
            try RuntimeLog.parse(input, source: "app.log")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("app.log: no GODEBUG gctrace/schedtrace lines found (line 3: INFO starting server on :8080")
        }
        #expect(throws: RuntimeLogError.self) { try RuntimeLog.parse([], source: "empty") }
    }

    @Test func seededBinaryJunkNeverCrashes() {
        var generator = SplitMix64(seed: 42)
        for round in 0..<200 {
            let junk = (0..<(Int(generator.next() % 4096))).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var parser = RuntimeLogParser()
            parser.consume(junk)
            let trace = parser.finish()
            #expect(trace.lines.total >= (junk.isEmpty ? 0 : 1), "round \(round)")
        }
        // Junk mixed with real lines: the real lines still count.
        var mixed: [UInt8] = []
        for _ in 0..<50 {
            mixed += (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            mixed += Array("\n\(Self.goodLine)\n".utf8)
        }
        let trace = try? RuntimeLog.parse(mixed)
        #expect((trace?.gcTotals.cycles ?? 0) >= 50)
    }

    @Test func tenMegabyteLineIsExaminedByItsHead() throws {
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20)
        bytes += Array("\n\(Self.goodLine)\n".utf8)
        let trace = try RuntimeLog.parse(bytes)
        #expect(trace.lines.overlong == 1)
        #expect(trace.gcTotals.cycles == 1)
        // The same through small chunks (the carry buffer stays capped).
        var parser = RuntimeLogParser()
        var offset = 0
        while offset < bytes.count {
            parser.consume(Array(bytes[offset..<min(offset + 100_000, bytes.count)]))
            offset += 100_000
        }
        let chunked = parser.finish()
        #expect(chunked.lines.overlong == 1 && chunked.gcTotals.cycles == 1)
        // A long line without a newline at the end.
        let unterminated = try? RuntimeLog.parse([UInt8](repeating: 0x20, count: 3 << 20))
        #expect(unterminated == nil)
    }

    @Test func everyCutOfARealLineIsMalformedOrWhole() {
        let line = Array(Self.goodLine.utf8)
        for cut in 1..<line.count {
            var parser = RuntimeLogParser()
            parser.consume(Array(line[0..<cut]) + [0x0A])
            let trace = parser.finish()
            let prefix = String(decoding: line[0..<cut], as: UTF8.self)
            if trace.gcTotals.cycles == 1 {
                // Only cuts at or after "2 P" parse (the forced flag then depends on the cut).
                #expect(prefix.hasSuffix(" P") || prefix.contains(" P "), "cut \(cut): \(prefix)")
            } else if cut >= 4 {
                #expect(trace.lines.malformed == 1, "cut \(cut): \(prefix)")
            }
        }
    }

    @Test func hugeNumbersAreMalformedNotTraps() throws {
        let lines = [
            "gc 99999999999999999999999 @0.1s 0%: 0.1+0.1+0.1 ms clock, 0.1+0.1/0.1/0.1+0.1 ms cpu, 1->1->1 MB, 4 MB goal, 2 P",
            "gc 1 @0.1s 0%: 0.1+0.1+0.1 ms clock, 0.1+0.1/0.1/0.1+0.1 ms cpu, 1->1->99999999999999999999999999 MB, 4 MB goal, 2 P",
            "gc 1 @99999999999999999999.1s 0%: 0.1+0.1+0.1 ms clock, 0.1+0.1/0.1/0.1+0.1 ms cpu, 1->1->1 MB, 4 MB goal, 2 P",
            "SCHED 1ms: gomaxprocs=2 idleprocs=0 threads=99999999999999999999 spinningthreads=0 idlethreads=0 runqueue=0 [0 0]",
            "SCHED 1ms: gomaxprocs=2 idleprocs=0 threads=3 spinningthreads=0 idlethreads=0 runqueue=0 [0 99999999999999999999999]",
            "scav 99999999999999999999999 KiB work, 1 KiB total, 5% util",
        ]
        var parser = RuntimeLogParser()
        parser.consume(Array(lines.joined(separator: "\n").utf8))
        let trace = parser.finish()
        #expect(trace.lines.malformed == lines.count)
        #expect(trace.lines.runtime == 0)
        // Max-size values that do fit are kept, and sums saturate instead of trapping.
        let big = "SCHED 1ms: gomaxprocs=2 idleprocs=0 threads=3 spinningthreads=0 idlethreads=0 runqueue=9223372036854775807 [9223372036854775807 9223372036854775807]\n"
        let sample = try #require(try RuntimeLog.parse(Array(big.utf8)).schedSamples.first)
        #expect(sample.localRunQueueTotal == Int.max)
        _ = sample.runQueueTotal
    }

    @Test func interleavedWritesAreCountedAsMalformed() throws {
        // The runtime prints a gctrace line in many small writes; another thread's write can land inside it.
        let torn = "gc 3 @0.1s 0%: 0.1+0.2app: hello\n+0.3 ms clock, 0.1+0/0.1/0.1+0.1 ms cpu, 1->1->1 MB, 4 MB goal, 2 P\n"
        let trace = try? RuntimeLog.parse(Array((torn + Self.goodLine + "\n").utf8))
        #expect(trace?.gcTotals.cycles == 1)
        #expect(trace?.lines.malformed == 1)
        #expect(trace?.lines.firstMalformed?.hasPrefix("line 1: gc 3 @0.1s") == true)
    }

    /// The largest numbers that parse, through summary, findings, text and JSON: no trap anywhere.
    @Test func largestNumbersFlowThroughEveryOutput() throws {
        let max = Int.max
        var text = ""
        for step in 0..<8 {
            let number = max - 8 + step
            text += "gc \(number) @\(max).\(step)s \(max)%: \(max).9+\(max)+\(max) ms clock, \(max)+\(max)/\(max)/\(max)+\(max) ms cpu, "
                + "\(max)->\(max)->\(step == 0 ? 0 : max) MB, \(max) MB goal, \(max) MB stacks, \(max) MB globals, \(max) P\n"
            text += "SCHED \(max - 8 + step)ms: gomaxprocs=\(max) idleprocs=0 threads=\(max) spinningthreads=\(max) idlethreads=\(max) "
                + "runqueue=\(max) [ \(max) \(max) ]\n"
            text += "scav \(max) KiB work (bg), \(max) KiB work (eager), \(max) KiB now, \(max)% util\n"
        }
        let trace = try RuntimeLog.parse(Array(text.utf8))
        #expect(trace.gcTotals.cycles == 8 && trace.schedSamples.count == 8 && trace.scavenges.count == 8)
        #expect(trace.schedSamples.allSatisfy { $0.runQueueTotal == Int.max })
        let summary = RuntimeSummary(trace)
        _ = summary.findings
        #expect(RuntimeText.render(summary, color: true).contains("leakscope gctrace"))
        #expect(RuntimeJSON.render(summary).count > 100)
    }

    /// Seeded mutations of a real capture (digits blown up to 19–25 nines, bytes flipped, lines cut)
    /// through the parser, the summary, the findings and both renderers.
    @Test func mutatedRealLogsNeverTrap() throws {
        let original = try RuntimeLogs.committed("go1.27-leak-gctrace-schedtrace.log")
        let originalCycles = try RuntimeLog.parse(original).gcTotals.cycles
        var generator = SplitMix64(seed: 2026)
        var parsed = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int(generator.next() % 12 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 4 {
                case 0: bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "9"), count: Int(18 + generator.next() % 8)), at: position)
                case 1: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                case 2: bytes.removeSubrange(position..<min(bytes.count, position + Int(generator.next() % 40)))
                default: bytes[position] = UInt8(ascii: "0") + UInt8(generator.next() % 10)
                }
                if bytes.isEmpty { break }
            }
            guard let trace = try? RuntimeLog.parse(bytes) else { continue }
            parsed += 1
            // Damage can only lose cycles, never invent them.
            #expect(trace.gcTotals.cycles <= originalCycles)
            let summary = RuntimeSummary(trace)
            #expect(summary.findings.allSatisfy { (0...100).contains($0.score) })
            #expect(RuntimeText.render(summary, color: true, width: 30).hasPrefix("leakscope gctrace: "))
            #expect(RuntimeJSON.render(summary).first == UInt8(ascii: "{"))
        }
        // A dozen damaged spots leave most of a 40-line log readable.
        #expect(parsed >= 250)
    }

    @Test func numbersGluedToOtherTextAreNotNumbers() {
        var parser = RuntimeLogParser()
        parser.consume(Array("SCHED 5ms: gomaxprocs=2 idleprocs=0 threads=3 spinningthreads=0 idlethreads=0 runqueue=0app: x=1 [ 0 0 ]\n".utf8))
        let trace = parser.finish()
        #expect(trace.schedSamples.isEmpty)
        #expect(trace.lines.malformed == 1)
    }

    @Test func sampleListsAreThinnedNotUnbounded() throws {
        let count = 20_000
        var text = ""
        text.reserveCapacity(count * 170)
        for number in 1...count {
            text += "gc \(number) @\(number).000s 1%: 0.1+0.2+0.3 ms clock, 0.1+0/0.1/0.1+0.1 ms cpu, 4->5->\(number % 7) MB, 8 MB goal, 0 MB stacks, 0 MB globals, 2 P\n"
            text += "SCHED \(number)ms: gomaxprocs=2 idleprocs=0 threads=3 spinningthreads=0 idlethreads=0 runqueue=0 [ 0 0 ]\n"
        }
        let trace = try RuntimeLog.parse(Array(text.utf8))
        #expect(trace.gcTotals.cycles == count)
        #expect(trace.gcCycles.count <= RuntimeTrace.maxKeptSamples)
        #expect(trace.gcCycles.count > RuntimeTrace.maxKeptSamples / 2)
        #expect(trace.schedSamples.count <= RuntimeTrace.maxKeptSamples)
        #expect(trace.lines.droppedSamples == 2 * count - trace.gcCycles.count - trace.schedSamples.count)
        // Evenly spread: the first is kept, the kept numbers step by a constant stride, and they reach the end.
        let numbers = trace.gcCycles.map(\.number)
        #expect(numbers.first == 1)
        let strides = Set(zip(numbers, numbers.dropFirst()).map { $1 - $0 })
        #expect(strides.count == 1)
        #expect(count - numbers.last! < strides.first! )
        #expect(abs(trace.gcTotals.pauseSumMilliseconds - 0.4 * Double(count)) < 1e-6 * Double(count))
        #expect(trace.lines.schedSamples == count)
        // Figures from thinned samples still describe every cycle: 0.3 ms charged CPU per cycle, one
        // cycle a second, 2 P → 0.015 % recent GC CPU; 60 cycles a minute.
        let summary = RuntimeSummary(trace)
        #expect(abs((summary.gcCPU?.recentPercent ?? 0) - 0.015) < 1e-6)
        #expect(abs((summary.gcFrequency?.perMinute ?? 0) - 60) < 1e-6)
        #expect(summary.gcFrequency?.cycles == count)
        #expect(summary.series.heapLiveMB.count <= RuntimeSummary.maxSeriesPoints)
    }
}
