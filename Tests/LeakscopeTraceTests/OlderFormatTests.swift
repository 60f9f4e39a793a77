import Foundation
import Testing
import LeakscopeTestSupport
import LeakscopeTrace
import LeakscopeLifecycle

/// Traces in the Go 1.22, 1.23 and 1.25 wire formats: Go's own test traces (text form, in the local
/// GOROOT's `internal/trace/testdata/tests`; `go122-gc-stress` was written by a real Go 1.22 program
/// under GC stress), encoded to binary and read by both readers.
@Suite struct OlderFormatTests {
    static let traces = ["go122-gc-stress", "go122-annotations-stress", "go122-annotations", "go123-sync", "go125-sync",
                         "go122-confuse-seq-across-generations", "go122-create-syscall-reuse-thread-id",
                         "go122-syscall-steal-proc-simple", "go122-syscall-steal-proc-gen-boundary", "go122-task-across-generations"]

    static func binary(_ name: String) async throws -> URL {
        let go = try await GoToolchain.locate(.current)
        let goroot = URL(fileURLWithPath: go.goExecutable).deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: goroot.appendingPathComponent("src/internal/trace/testdata/tests/\(name).test"),
                              encoding: .utf8)
        let file = TestPaths.scratch.appendingPathComponent("\(name)-\(UUID().uuidString).trace")
        try Data(try RawTraceText.encode(text)).write(to: file)
        return file
    }

    @Test(arguments: traces)
    func countsAndTransitionsMatchGo(name: String) async throws {
        let file = try await Self.binary(name)
        let reader = try TraceReader(path: file.path)
        #expect(name.hasPrefix("go1\(reader.version.minor)"))
        var ours: [UInt64: [String]] = [:]
        _ = try LifecycleAnalysis.analyze(reader) { event in
            ours[event.subject, default: []].append("\(event.from)->\(event.to) \(reader.names.string(event.reason))")
        }
        var counts: [String: Int] = [:]
        for (type, count) in reader.statistics.eventCounts.enumerated() where count > 0 {
            counts[TraceEventType(rawValue: UInt8(type)).description] = count
        }
        #expect(counts == TraceFixtures.wireCounts(try await TraceFixtures.goToolTrace("wire", file)))
        let expected = TraceFixtures.parsedTransitions(try await TraceFixtures.goToolTrace("parsed", file))
        let differing = expected.keys.filter { ours[$0] != expected[$0] }.sorted()
        #expect(differing.isEmpty && ours.count == expected.count,
                "\(differing.prefix(5)); first: \(differing.first.map { "ours \(ours[$0] ?? []) go \(expected[$0] ?? [])" } ?? "")")
    }
}
