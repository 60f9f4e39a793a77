import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeCapture
@testable import LeakscopeCollect

/// Execution traces as diagnose evidence: `capture --trace-seconds` takes one alongside the snapshots,
/// and `diagnose` confirms a leak the snapshots suspect when the trace sees its goroutines never end,
/// or clears the suspicion when the trace sees them end. The goroutine dumps are written by the traced
/// Go program itself, inside the traced seconds (`Tests/Fixtures/go/trace -dumps`).
@Suite struct TraceEvidenceTests {
    struct Report: Decodable {
        struct Site: Decodable { var function: String }
        struct Evidence: Decodable { var summary: String; var sources: [String] }
        struct Finding: Decodable {
            var kind: String
            var severity: String
            var score: Int
            var title: String
            var location: Site?
            var evidence: Evidence
        }
        struct Input: Decodable { var name: String; var kind: String }
        var findings: [Finding]
        var inputs: [Input]
        var notes: [String]
    }

    /// The shape's trace and its three dumps, taken 0.2, 0.5 and 0.8 s into the trace.
    static func files(_ shape: String, duration: String) async throws -> (dumps: [String], trace: String) {
        let dir = try await GoFixtures.output("trace", toolchain: .current,
                                              arguments: ["-shape", shape, "-duration", duration, "-dumps", "200ms,500ms,800ms"],
                                              exclusive: true)
        let dumps = (1...3).map { dir.appendingPathComponent("\(shape)-dump-\($0).txt").path }
        return (dumps, dir.appendingPathComponent("\(shape).trace").path)
    }

    static func diagnose(_ files: [String]) async throws -> Report {
        let result = try await LeakscopeBinary.run(["diagnose", "--format", "json"] + files)
        guard result.exitCode == 0 || result.exitCode == 1 else { throw OracleFailure("diagnose: \(result.summary)") }
        return try JSONDecoder().decode(Report.self, from: Data(result.stdout))
    }

    @Test func traceConfirmsALeakTheSnapshotsSuspect() async throws {
        let (dumps, trace) = try await Self.files("leak", duration: "2s")
        let without = try await Self.diagnose(dumps)
        let suspected = try #require(without.findings.first { $0.kind == "goroutine-leak" && $0.location?.function == "main.leakySender" },
                                     "\(without.findings.map(\.title))")
        let with = try await Self.diagnose(dumps + [trace])
        let confirmed = try #require(with.findings.first { $0.kind == "goroutine-leak" && $0.location?.function == "main.leakySender" },
                                     "\(with.findings.map(\.title))")
        #expect(confirmed.score > suspected.score || confirmed.score == 100)
        #expect(confirmed.severity != "info")
        #expect(confirmed.evidence.summary.contains("The execution trace confirms it:"), "\(confirmed.evidence.summary)")
        #expect(confirmed.evidence.summary.contains("created at main.handleRequest (trace/shapes.go:"))
        #expect(confirmed.evidence.summary.contains(", none ended,"))
        #expect(confirmed.evidence.sources.contains(trace))
        // The trace's own finding for the same goroutines was merged, not repeated.
        #expect(with.findings.filter { $0.kind == "goroutine-leak" && $0.severity != "info" }.count == 1, "\(with.findings.map(\.title))")
        #expect(with.inputs.contains { $0.name == trace && $0.kind == "execution-trace" })
        #expect(with.notes.contains { $0.hasPrefix("execution trace \(trace): ") })
    }

    @Test func traceClearsASuspicionWhoseGoroutinesEnd() async throws {
        let (dumps, trace) = try await Self.files("slow", duration: "3s")
        let without = try await Self.diagnose(dumps)
        let suspected = try #require(without.findings.first { $0.kind == "goroutine-leak" && $0.location?.function == "main.awaitReply" },
                                     "\(without.findings.map(\.title))")
        #expect(suspected.severity != "info", "the snapshots alone must suspect the slow replies: \(suspected.title)")
        let with = try await Self.diagnose(dumps + [trace])
        let cleared = try #require(with.findings.first { $0.location?.function == "main.awaitReply" }, "\(with.findings.map(\.title))")
        #expect(cleared.severity == "info" && cleared.score <= 15, "\(cleared.title)")
        #expect(cleared.evidence.summary.contains("The execution trace clears it:"), "\(cleared.evidence.summary)")
        #expect(!with.findings.contains { $0.severity != "info" }, "\(with.findings.map(\.title))")
    }

    @Test func aCorruptTraceBodyIsAFailedEntry() async throws {
        let trace = try await Self.files("leak", duration: "2s").trace
        let bytes = try Data(contentsOf: URL(fileURLWithPath: trace))
        let cut = TestPaths.scratch.appendingPathComponent("cut-\(UUID().uuidString).trace")
        try bytes.prefix(bytes.count * 2 / 3).write(to: cut)
        let problem = try #require(CaptureValidation.problem(kind: .trace, path: cut.path))
        #expect(problem.hasPrefix("invalid body: execution trace: byte "), "\(problem)")
        #expect(CaptureValidation.problem(kind: .trace, path: trace) == nil)
    }

    /// `capture --trace-seconds` against a leaking service under load: the trace runs alongside the
    /// snapshots (it starts before the second one), and `diagnose DIR` uses it as evidence.
    @Test func captureTakesATraceAlongsideTheSnapshots() async throws {
        try await LeakyService.build()
        try await ChildSlots.shared.withSlots(for: .all) {
            let service = try await LeakyService(faults: ["chan-send"])
            defer { service.stop() }
            try await service.startLoad(rps: 100, seconds: 40, concurrency: 8)
            await pause(seconds: 2)
            let directory = TestPaths.scratch.appendingPathComponent("trace-capture-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let capture = try await LeakscopeBinary.run(
                ["capture", service.url, "--snapshots", "2", "--interval", "3s", "--cpu-seconds", "0", "--trace-seconds", "4",
                 "--out", directory.path, "--quiet"], slot: .alreadyHeld)
            #expect(capture.exitCode == 0, "\(capture.summary)")
            let manifest = try CaptureManifest.load(directory: directory)
            #expect(manifest.plan.traceSeconds == 4)
            let entry = try #require(manifest.onceEntry(.trace))
            #expect(entry.status == .fetched, "\(entry)")
            #expect(entry.endpoint == "trace" && entry.query == "seconds=4" && entry.file == "once/trace.out")
            let second = try #require(manifest.snapshots.last)
            #expect(entry.started < second.time, "the trace must start with the first snapshot, not after the last")

            let result = try await LeakscopeBinary.run(["diagnose", directory.path, "--format", "json"], slot: .alreadyHeld)
            #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.summary)")
            let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout))
            let leak = try #require(report.findings.first { $0.location?.function == "main.queryInventory" },
                                    "\(report.findings.map(\.title))")
            #expect(leak.evidence.summary.contains("The execution trace confirms it:"), "\(leak.evidence.summary)")
            #expect(leak.evidence.summary.contains("created at main.handleInventory (leaky-service/inventory.go:"))
            #expect(report.inputs.contains { $0.kind == "execution-trace" })
            // The trace's view of goroutines leaked before it started is the same finding, not a second one.
            #expect(report.findings.filter { $0.kind == "goroutine-leak" && $0.location?.function == "main.queryInventory" }.count == 1,
                    "\(report.findings.map(\.title))")
            // The lifecycle section holds what `leakscope trace` reads from the captured trace, and the
            // verdict names the site the confirmation names.
            let captured = directory.appendingPathComponent("once/trace.out").path
            let oracle = try await DiagnoseTraceSectionTests.traceJSON(captured, slot: .alreadyHeld)
            let sectioned = try JSONDecoder().decode(DiagnoseTraceSectionTests.Diagnosis.self, from: Data(result.stdout))
            let section = try #require(sectioned.traces?.first)
            DiagnoseTraceSectionTests.expectAgreement(section, oracle, name: captured)
            let verdict = try #require(section.verdicts.first { $0.finding == "main.queryInventory" }, "\(section.verdicts)")
            #expect(verdict.outcome == "confirmed" && verdict.sites.first?.function == "main.handleInventory", "\(verdict)")
        }
    }
}

struct OracleFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
