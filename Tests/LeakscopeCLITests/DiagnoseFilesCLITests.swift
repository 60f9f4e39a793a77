import Foundation
import LeakscopeTestSupport
import Testing

/// `leakscope diagnose FILES…` through the built binary, on real dumps and profiles of Go programs.
@Suite struct DiagnoseFilesCLITests {
    struct Report: Decodable {
        struct Site: Decodable { var function: String; var file: String; var line: Int }
        struct Evidence: Decodable { var summary: String; var series: [Double]?; var stack: [String] }
        struct Finding: Decodable {
            var kind: String
            var severity: String
            var score: Int
            var title: String
            var location: Site?
            var evidence: Evidence
            var hint: String
        }
        struct Input: Decodable { var name: String; var kind: String }
        var format: String
        var findings: [Finding]
        var inputs: [Input]
    }

    /// The grow run's dumps in a shuffled order with the leak profile first: content decides kinds.
    func growFiles() async throws -> [String] {
        let run = try await GoroutineFixtures.run(.grow, .current)
        return [try #require(run.leakDumps.last).path] + run.dumps.map(\.path)
    }

    @Test func jsonNamesTheLeakingFunctionFirst() async throws {
        let result = try await LeakscopeBinary.run(["diagnose", "--format", "json"] + growFiles())
        #expect(result.exitCode == 0, "\(result.stderrText)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout))
        #expect(report.format == "leakscope-diagnosis/1")
        #expect(report.inputs.map(\.kind) == ["goroutineleak", "goroutine-dump", "goroutine-dump", "goroutine-dump"])
        let first = try #require(report.findings.first)
        #expect(first.kind == "goroutine-leak")
        #expect(first.location?.function == "main.fetchBackend")
        #expect(first.location?.file.hasSuffix("/goroutines/grow.go") == true)
        #expect(first.severity == "critical")
        // Sorted by severity, then score.
        let order = ["critical": 0, "warning": 1, "info": 2]
        for (a, b) in zip(report.findings, report.findings.dropFirst()) {
            #expect(order[a.severity]! < order[b.severity]! || a.severity == b.severity && a.score >= b.score)
        }
    }

    @Test func textIsReadableAndFailOnSetsTheExitCode() async throws {
        let files = try await growFiles()
        let text = try await LeakscopeBinary.run(["diagnose"] + files)
        #expect(text.exitCode == 0)
        #expect(text.stdoutText.hasPrefix("2 problems found (2 critical). Most urgent first:\n"))
        #expect(text.stdoutText.contains("1. CRITICAL [goroutine-leak, score "))
        #expect(text.stdoutText.contains("   where: main.fetchBackend "))
        #expect(text.stdoutText.contains("   fix:   "))
        #expect(!text.stdoutText.contains("\u{1B}["), "no colour when stdout is not a terminal")
        let colour = try await LeakscopeBinary.run(["diagnose", "--color", "always"] + files)
        #expect(colour.stdoutText.contains("\u{1B}[1;31mCRITICAL"))
        #expect(try await LeakscopeBinary.run(["diagnose", "--fail-on", "critical"] + files).exitCode == 1)
        #expect(try await LeakscopeBinary.run(["diagnose", "--fail-on", "warning"] + files).exitCode == 1)
        let healthy = try await GoroutineFixtures.run(.healthy, .current)
        let quiet = try await LeakscopeBinary.run(["diagnose", "--fail-on", "warning"] + healthy.dumps.map(\.path))
        #expect(quiet.exitCode == 0, "\(quiet.stdoutText)")
        #expect(quiet.stdoutText.hasPrefix("No problems found."))
    }

    @Test func htmlReportIsWritten() async throws {
        let dir = TestPaths.scratch.appendingPathComponent("diagnose-html-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let profiles = try await GoFixtures.output("profiles", toolchain: .current)
        let html = dir.appendingPathComponent("report.html")
        let result = try await LeakscopeBinary.run(["diagnose", "--html", html.path] + growFiles()
                                             + [profiles.appendingPathComponent("cpu.pb.gz").path])
        #expect(result.exitCode == 0, "\(result.stderrText)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("Goroutines leak in main.fetchBackend"))
        #expect(page.contains("<svg"))
        #expect(page.contains("CPU flame graph"))
        #expect(!page.contains("src=\"http"))
    }

    @Test func badInputsAreOneLineErrors() async throws {
        let dir = TestPaths.scratch.appendingPathComponent("diagnose-bad-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(name: String, bytes: [UInt8], message: String)] = [
            ("page.html", Array("<html><body>Sign in</body></html>\n".utf8), "page.html: an HTML page, not a profile, goroutine dump or GODEBUG log"),
            ("notes.txt", Array("just some notes\n".utf8), "notes.txt: not a profile, goroutine dump or GODEBUG log (line 1: \"just some notes\")"),
            ("cut.pb.gz", [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x01], "cut.pb.gz: not a profile, goroutine dump or GODEBUG log (as profile.proto: byte 11: gzip stream is truncated"),
        ]
        for item in cases {
            let path = dir.appendingPathComponent(item.name)
            try Data(item.bytes).write(to: path)
            let result = try await LeakscopeBinary.run(["diagnose", path.path])
            #expect(result.exitCode == 2)
            #expect(result.stderrText.hasPrefix("leakscope: \(dir.path)/\(item.message)"), "\(result.stderrText)")
            #expect(result.stderrText.split(separator: "\n").count == 1)
        }
        let missing = try await LeakscopeBinary.run(["diagnose", dir.appendingPathComponent("nope.pb.gz").path])
        #expect(missing.exitCode == 2)
        #expect(missing.stderrText.contains("nope.pb.gz: open: no such file or directory"))
    }
}
