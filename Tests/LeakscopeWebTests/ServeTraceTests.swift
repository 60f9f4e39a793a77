import Foundation
import Testing
import LeakscopeTestSupport

/// `leakscope serve`'s diagnose view of goroutine dumps and an execution trace written by the real Go
/// program `Tests/Fixtures/go/trace`: the report has the "Goroutine lifecycles" section, one table
/// row per creation site of `leakscope trace --format json`, and the verdict on the leak.
@Suite struct ServeTraceTests {
    struct TraceDocument: Decodable {
        struct Site: Decodable { var function: String; var created: Int }
        var sites: [Site]
    }

    @Test func diagnoseViewShowsTheLifecycleSection() async throws {
        let dir = try await GoFixtures.output("trace", toolchain: .current,
                                              arguments: ["-shape", "leak", "-duration", "2s", "-dumps", "200ms,500ms,800ms"],
                                              exclusive: true)
        let dumps = (1...3).map { dir.appendingPathComponent("leak-dump-\($0).txt").path }
        let trace = dir.appendingPathComponent("leak.trace").path
        let json = try await LeakscopeBinary.run(["trace", trace, "--format", "json"])
        #expect(json.exitCode == 0, "\(json.summary)")
        let oracle = try JSONDecoder().decode(TraceDocument.self, from: Data(json.stdout))

        let server = try await RunningServer.start(["serve"] + dumps + [trace, "--http", "127.0.0.1:0", "--no-browser"])
        defer { Task { await server.stop() } }
        let report = try await HTTP.get(server.base + "/r/0")
        #expect(report.status == 200)
        let start = try #require(report.text.range(of: "<section class=\"lifecycles\"><h2>Goroutine lifecycles (execution trace, "),
                                 "\(report.text.prefix(2000))")
        let rest = report.text[start.lowerBound...]
        let section = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
        #expect(section.components(separatedBy: "<td class=\"site\">").count - 1 == oracle.sites.count)
        #expect(section.contains("<div class=\"traceverdict\">confirms the leak in main.leakySender</div>"))
        #expect(section.contains("<svg width=\"240\" height=\"28\" role=\"img\" aria-label=\"created per generation\">"))
        await server.stop()
    }
}
