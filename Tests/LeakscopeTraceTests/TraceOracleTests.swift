import Foundation
import Testing
import LeakscopeTestSupport
import LeakscopeTrace
import LeakscopeLifecycle

/// The reader against Go's own (`go tool trace`): the same events per type as the wire dump, and the
/// same state transitions, in the same order, for every goroutine as the parsed dump.
@Suite struct TraceOracleTests {
    static let shapes: [(String, String)] = [("leak", "1200ms"), ("healthy", "1200ms"), ("storm", "300ms")]

    @Test(arguments: shapes)
    func eventCountsMatchGoWireDump(shape: String, duration: String) async throws {
        let file = try await TraceFixtures.trace(shape, duration: duration)
        let reader = try TraceReader(path: file.path)
        _ = try LifecycleAnalysis.analyze(reader)
        let expected = TraceFixtures.wireCounts(try await TraceFixtures.goToolTrace("wire", file))
        var ours: [String: Int] = [:]
        for (type, count) in reader.statistics.eventCounts.enumerated() where count > 0 {
            ours[TraceEventType(rawValue: UInt8(type)).description] = count
        }
        #expect(ours == expected)
        #expect(reader.version == TraceVersion(minor: 26))
        #expect(reader.statistics.generations == expected["EndOfGeneration"])
    }

    @Test(arguments: shapes)
    func transitionsMatchGoParsedDump(shape: String, duration: String) async throws {
        let file = try await TraceFixtures.trace(shape, duration: duration)
        let reader = try TraceReader(path: file.path)
        var ours: [UInt64: [String]] = [:]
        _ = try LifecycleAnalysis.analyze(reader) { event in
            ours[event.subject, default: []].append("\(event.from)->\(event.to) \(reader.names.string(event.reason))")
        }
        let expected = TraceFixtures.parsedTransitions(try await TraceFixtures.goToolTrace("parsed", file))
        #expect(ours.count == expected.count)
        #expect(ours.values.reduce(0) { $0 + $1.count } == expected.values.reduce(0) { $0 + $1.count })
        let differing = expected.keys.filter { ours[$0] != expected[$0] }.sorted()
        #expect(differing.isEmpty, "goroutines whose transitions differ: \(differing.prefix(5)); first: \(differing.first.map { "ours \(ours[$0] ?? []) go \(expected[$0] ?? [])" } ?? "")")
    }
}
