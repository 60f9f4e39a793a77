import Foundation
import Testing
import LeakscopeTestSupport
import LeakscopeTrace
import LeakscopeLifecycle

/// The reader with the lifecycle builder on a second thread (`readConcurrently`) against the plain
/// single-thread read, on traces of real Go programs: the same transitions in the same order, the
/// same report byte for byte, the same error for a cut trace.
@Suite struct ConcurrentReadTests {
    /// One transition as the builder's observer saw it (interned IDs: both paths intern alike).
    struct Seen: Equatable {
        var time: Int64
        var subject: UInt64
        var goroutine: UInt64
        var from: GoroutineState
        var to: GoroutineState
        var reason: Int32
        var stack: Int32
        var newStack: Int32
    }

    /// Collects transitions on the builder's thread; read only after `analyze` returned (joined).
    final class Recorder: @unchecked Sendable {
        var seen: [Seen] = []
        func record(_ event: TraceEvent) {
            seen.append(Seen(time: event.time, subject: event.subject, goroutine: event.goroutine, from: event.from,
                             to: event.to, reason: event.reason, stack: event.stack, newStack: event.newStack))
        }
    }

    static func run(_ file: URL, concurrently: Bool) throws -> (report: Data, seen: [Seen], events: Int) {
        let recorder = Recorder()
        let reader = try TraceReader(path: file.path)
        let report = try LifecycleAnalysis.analyze(reader, source: "trace", concurrently: concurrently) { recorder.record($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try encoder.encode(report), recorder.seen, reader.statistics.events)
    }

    /// Busy (many chunks per generation), storm (goroutine churn) and a trace that starts with
    /// goroutines it did not see created.
    static let traces: [(String, [String])] = [
        ("busy", ["-shape", "busy", "-duration", "1500ms"]),
        ("storm", ["-shape", "storm", "-duration", "300ms"]),
        ("leak", ["-shape", "leak", "-duration", "1s", "-warmup", "500ms"]),
    ]

    @Test(arguments: traces)
    func sameTransitionsAndReport(shape: String, arguments: [String]) async throws {
        let dir = try await GoFixtures.output("trace", toolchain: .current, arguments: arguments)
        let file = dir.appendingPathComponent("\(shape).trace")
        let single = try Self.run(file, concurrently: false)
        let concurrent = try Self.run(file, concurrently: true)
        #expect(single.seen.count > 1_000)
        #expect(concurrent.seen.count == single.seen.count)
        let firstDifference = single.seen.indices.first { $0 < concurrent.seen.count && single.seen[$0] != concurrent.seen[$0] }
        #expect(firstDifference == nil, "first differing transition: \(firstDifference.map { "\(single.seen[$0]) vs \(concurrent.seen[$0])" } ?? "")")
        #expect(concurrent.report == single.report)
        #expect(concurrent.events == single.events)
        if shape == "busy" {
            // More events than the pipeline's ring holds, so chunks were reused.
            #expect(single.seen.count > 4 * 8192, "\(single.seen.count)")
        }
    }

    /// A trace cut inside a generation fails the same way on both paths, and the builder's thread ends.
    @Test func cutTraceFailsAlike() async throws {
        let dir = try await GoFixtures.output("trace", toolchain: .current, arguments: ["-shape", "busy", "-duration", "1500ms"])
        let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent("busy.trace")))
        for cut in [bytes.count / 3, bytes.count / 2, bytes.count - 7] {
            let prefix = Array(bytes.prefix(cut))
            let single = try #require(throws: TraceError.self) {
                try LifecycleAnalysis.analyze(TraceReader(bytes: prefix), concurrently: false)
            }
            let concurrent = try #require(throws: TraceError.self) {
                try LifecycleAnalysis.analyze(TraceReader(bytes: prefix), concurrently: true)
            }
            #expect(concurrent.description == single.description)
        }
    }
}
