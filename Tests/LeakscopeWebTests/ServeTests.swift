import Foundation
import Testing
import LeakscopeTestSupport

/// `leakscope serve` over a real capture of the leaky example service: the index lists its
/// profiles, the diagnose report names the leak, each profile's views equal `go tool pprof`'s,
/// and two snapshots compare as pprof's `-base`.
@Suite(.serialized) struct ServeTests {
    /// A capture of the example service with a goroutine leak and a growing cache, under load.
    static func capture() async throws -> URL {
        try await captures.value(for: 0) {
            try await LeakyService.build(toolchain: .current)
            let directory = TestPaths.scratch.appendingPathComponent("serve-capture-\(UUID().uuidString)")
            try await ChildSlots.shared.withSlots(for: .all) {
                let service = try await LeakyService(faults: ["chan-send", "heap-cache"])
                defer { service.stop() }
                try await service.startLoad(rps: 100, seconds: 30)
                await pause(seconds: 2)
                let run = try await LeakscopeBinary.run(["capture", service.url, "--snapshots", "2", "--interval", "2s",
                                                         "--cpu-seconds", "1", "--out", directory.path, "--quiet"],
                                                        slot: .alreadyHeld)
                guard run.exitCode == 0 else { throw WebTestError("capture failed: \(run.summary)") }
            }
            return directory
        }
    }
    private static let captures = AsyncOnceCache<Int, URL>()

    @Test func indexReportProfilesAndComparisons() async throws {
        let directory = try await Self.capture()
        let server = try await RunningServer.start(["serve", directory.path, "--http", "127.0.0.1:0", "--no-browser"])
        defer { Task { await server.stop() } }

        let index = try await HTTP.get(server.base + "/")
        #expect(index.status == 200)
        #expect(index.text.contains("href=\"/r/0\""))
        // Every profile row: its number, its file name and kind.
        let rows = index.text.matches(of: /<tr><td>(\d+)<\/td><td class="name" title="([^"]+)">[^<]+<\/td><td class="name">([a-z-]+)<\/td>/)
            .map { (n: Int($0.output.1)!, file: String($0.output.2), kind: String($0.output.3)) }
        let heaps = rows.filter { $0.kind == "heap" }
        try #require(heaps.count == 2, "two heap snapshots listed: \(rows)")
        #expect(rows.contains { $0.kind == "cpu" })

        let report = try await HTTP.get(server.base + "/r/0")
        #expect(report.status == 200)
        #expect(report.text.contains("main.queryInventory"), "the report names the leaking function")
        #expect(!report.text.contains("Goroutine lifecycles"), "a capture without a trace has no lifecycle section")

        // Profile views: the numbers are go tool pprof's for the same file.
        let (a, b) = (heaps[0], heaps[1])
        let path = { (file: String) in file }
        let top = try await HTTP.get(server.base + "/p/\(b.n)/ui/top?si=alloc_space")
        #expect(top.status == 200)
        let pprof = try await GoPprof.run(["-top", "-nodecount=500", "-sample_index=alloc_space", path(b.file)])
        #expect(TopPage.lines(top.text).rows == Self.rows(pprof.stdoutText))

        // Compare: B minus A is pprof's -base; the diff flame graph is differential.
        let base = try await HTTP.get(server.base + "/c/base/\(a.n)/\(b.n)/ui/top?si=alloc_space")
        #expect(base.status == 200)
        let pprofBase = try await GoPprof.run(["-top", "-nodecount=500", "-sample_index=alloc_space",
                                               "-base", path(a.file), path(b.file)])
        #expect(TopPage.lines(base.text).rows == Self.rows(pprofBase.stdoutText))
        let diff = try await HTTP.get(server.base + "/c/diff/\(a.n)/\(b.n)/ui/flamegraph")
        #expect(diff.status == 200)
        #expect(diff.text.contains("\"diff\":true"))
        #expect(diff.text.contains("<a class=\"ls-crumb\" href=\"/\">index</a>"))

        // Nothing outside the listed files is reachable.
        #expect(try await HTTP.get(server.base + "/p/999/ui/top").status == 404)
        #expect(try await HTTP.get(server.base + "/p/..%2f..%2fetc%2fpasswd/ui/top").status == 404)
        await server.stop()
    }

    static func rows(_ pprofTop: String) -> [String] {
        let lines = pprofTop.split(separator: "\n").map(String.init)
        guard let header = lines.firstIndex(of: "      flat  flat%   sum%        cum   cum%") else { return [] }
        return Array(lines[(header + 1)...])
    }
}
