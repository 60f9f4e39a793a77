import Foundation
import LeakscopeTestSupport
import Testing

/// `leakscope trace` run as a user runs it: on trace files written by a real Go program, on a live
/// service, and on bad input.
@Suite struct TraceCLITests {
    struct Report: Decodable {
        struct Site: Decodable { var function: String; var created: Int; var ended: Int; var alive: Int; var entry: String }
        struct Location: Decodable { var function: String; var file: String; var line: Int }
        struct Finding: Decodable { var kind: String; var severity: String; var title: String; var location: Location? }
        struct Totals: Decodable { var created: Int; var ended: Int; var alive: Int }
        var findings: [Finding]
        var goroutines: Totals
        var sites: [Site]
    }

    static func trace(_ shape: String, duration: String = "1200ms") async throws -> String {
        let dir = try await GoFixtures.output("trace", toolchain: .current, arguments: ["-shape", shape, "-duration", duration])
        return dir.appendingPathComponent("\(shape).trace").path
    }

    @Test func jsonFollowsTheContract() async throws {
        let file = try await Self.trace("leak")
        let result = try await LeakscopeBinary.run(["trace", "--format", "json", file])
        #expect(result.exitCode == 0, "\(result.summary)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout))
        #expect(report.findings.first?.kind == "goroutine-leak")
        #expect(report.findings.first?.location?.function == "main.handleRequest")
        #expect(report.goroutines.created == report.sites.reduce(0) { $0 + $1.created })
        #expect(report.sites.first?.function == "main.handleRequest")
        #expect(result.stderr.isEmpty)
    }

    @Test func textPutsFindingsFirstAndFailOnExitsOne() async throws {
        let file = try await Self.trace("leak")
        let html = TestPaths.scratch.appendingPathComponent("trace-\(UUID().uuidString).html")
        let result = try await LeakscopeBinary.run(["trace", file, "--fail-on", "warning", "--html", html.path])
        #expect(result.exitCode == 1, "\(result.summary)")
        let text = result.stdoutText
        let finding = try #require(text.range(of: "[goroutine-leak, score"))
        let sites = try #require(text.range(of: "Creation sites"))
        #expect(finding.lowerBound < sites.lowerBound)
        #expect(text.contains("where: main.handleRequest (trace/shapes.go:"))
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("main.handleRequest") && page.contains("<svg"))

        let healthy = try await LeakscopeBinary.run(["trace", try await Self.trace("healthy"), "--fail-on", "warning"])
        #expect(healthy.exitCode == 0, "\(healthy.summary)")
        #expect(healthy.stdoutText.contains("No goroutine leaks, spawn storms or churn found."))
    }

    @Test func badInputIsOneLineAndExitTwo() async throws {
        let truncated = TestPaths.scratch.appendingPathComponent("truncated-\(UUID().uuidString).trace")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try await Self.trace("leak")))
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        for input in [truncated.path, "/nonexistent/x.trace"] {
            let result = try await LeakscopeBinary.run(["trace", input])
            #expect(result.exitCode == 2, "\(result.summary)")
            let lines = result.stderrText.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("leakscope: \(input): execution trace: byte "), "\(result.stderrText)")
            #expect(result.stdout.isEmpty)
        }
    }

    /// The "done when": pointed at a leaking service under load, `trace URL` names the site
    /// whose goroutines never end and where they wait.
    @Test func liveServiceLeakIsNamed() async throws {
        try await LeakyService.build()
        // A live trace is timing-sensitive (the leak must happen inside the traced seconds), so the
        // service, its load and the trace run alone, as the other live tests do.
        try await ChildSlots.shared.withSlots(for: .all) {
            let service = try await LeakyService(faults: ["chan-send"])
            defer { service.stop() }
            try await service.startLoad(rps: 100, seconds: 30, concurrency: 8)
            await pause(seconds: 1)
            let saved = TestPaths.scratch.appendingPathComponent("live-\(UUID().uuidString).trace")
            let result = try await LeakscopeBinary.run(["trace", service.url, "--seconds", "3", "--format", "json",
                                                        "--save", saved.path], slot: .alreadyHeld)
            #expect(result.exitCode == 0, "\(result.summary)")
            let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout))
            let leak = try #require(report.findings.first { $0.kind == "goroutine-leak" }, "\(report.findings.map(\.title))")
            #expect(leak.location?.function == "main.handleInventory")
            #expect(leak.title.contains("chan send in main.queryInventory"), "\(leak.title)")
            #expect(FileManager.default.fileExists(atPath: saved.path))
        }
    }
}
